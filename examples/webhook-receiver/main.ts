import { parseArgs } from "node:util";
import { startWebhookReceiver } from "./create-webhook-receiver";

// npx tsx examples/webhook-receiver/main.ts --guildhall http://localhost:3000 --subscription whs_... --port 8787
const { values } = parseArgs({
  options: { guildhall: { type: "string" }, subscription: { type: "string" }, port: { type: "string" } },
});
if (!values.guildhall || !values.subscription) {
  console.error("usage: main.ts --guildhall URL --subscription whs_... [--port N]");
  process.exit(2);
}
const receiver = await startWebhookReceiver({
  guildhall: values.guildhall,
  subscriptionId: values.subscription,
  port: Number(values.port ?? 8787),
  onEvent: (event, id) => console.log(JSON.stringify({ msg: "webhook", id, type: event.type, data: event.data })),
});
console.log(`listening on ${receiver.url}`);
