import { z } from "zod";

/** An ISO 4217 code as people type it; stored and compared upper case. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a three-letter ISO 4217 code")
  .transform((c) => c.toUpperCase());

/**
 * ISO 4217's minor units for the currencies that do not have two (JPY has
 * none: ¥600 is 600 minor units; KWD has three). Written out here rather
 * than read from Intl, whose CLDR data gives the digits shops display,
 * which differ from ISO 4217 for some (IQD, for one); the minor unit is what
 * payment providers count in.
 */
const exponents: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** How many decimal digits one major unit of `currency` has: 2 unless ISO 4217 says otherwise. */
export function currencyExponent(currency: string): number {
  return exponents[currency.toUpperCase()] ?? 2;
}
