-- Mail content is sealed from now on. The plaintext of every earlier message
-- (sign-in codes and invitation links among it) is dropped rather than
-- sealed: SQL cannot seal it, and a readable secret must not survive. A
-- message still queued then fails delivery as purged (lib/mail/deliver-mail.ts).
ALTER TABLE "MailMessage" DROP COLUMN "html",
DROP COLUMN "subject",
DROP COLUMN "text",
ADD COLUMN     "contentPurgedAt" TIMESTAMP(3),
ADD COLUMN     "sealedContent" TEXT;

UPDATE "MailMessage" SET "contentPurgedAt" = CURRENT_TIMESTAMP;
