import { z } from "zod";

/**
 * The ISO 4217 currencies in circulation (the list of 2025, without the
 * fund codes, precious metals and testing codes, which no one pays in), written
 * out by hand: Intl.supportedValuesOf("currency") also lists withdrawn
 * currencies, and no maintained package of the list installs here. A code
 * outside it is refused wherever an amount is created, so a plan in "NAN"
 * cannot exist.
 */
const isoCurrencies: ReadonlySet<string> = new Set(
  `
  AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
  CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
  HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD
  MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG
  QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
  TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
`
    .trim()
    .split(/\s+/),
);

export function isKnownCurrency(code: string): boolean {
  return isoCurrencies.has(code.toUpperCase());
}

/** An ISO 4217 code as people type it; stored and compared upper case. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a three-letter ISO 4217 code")
  .transform((c) => c.toUpperCase())
  .refine(isKnownCurrency, "must be an ISO 4217 currency in circulation");

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
