import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base58CheckValid, bech32Valid, ibanValid, luhnValid, ssnValid } from './checksums.ts';

describe('luhnValid', () => {
  const cases: readonly [string, boolean][] = [
    ['4111111111111111', true], // Visa test number
    ['5500000000000004', true],
    ['340000000000009', true],
    ['79927398713', true], // the worked example of ISO/IEC 7812
    ['4111111111111112', false],
    ['79927398710', false],
    ['0', true],
    ['12a4', false],
  ];
  for (const [digits, expected] of cases)
    it(`${digits} → ${expected}`, () => {
      assert.equal(luhnValid(digits), expected);
    });
});

describe('ibanValid', () => {
  const cases: readonly [string, boolean][] = [
    ['GB82WEST12345698765432', true],
    ['DE89370400440532013000', true],
    ['FR1420041010050500013M02606', true],
    ['NO9386011117947', true], // shortest registered length (15)
    ['GB82WEST12345698765433', false], // check digits off by one
    ['DE8937040044053201300', false], // one character short for DE
    ['XX82WEST12345698765432', false], // unknown country
    ['GB82west12345698765432', false], // callers upper-case first
  ];
  for (const [iban, expected] of cases)
    it(`${iban} → ${expected}`, () => {
      assert.equal(ibanValid(iban), expected);
    });
});

describe('base58CheckValid', () => {
  const cases: readonly [string, boolean][] = [
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', true], // genesis block address
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', true], // P2SH example from BIP-13 docs
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', false],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a', false], // 0 is not in the alphabet
  ];
  for (const [address, expected] of cases)
    it(`${address} → ${expected}`, () => {
      assert.equal(base58CheckValid(address), expected);
    });
});

describe('bech32Valid', () => {
  const cases: readonly [string, boolean][] = [
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', true], // BIP-173 test vector
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', true], // BIP-350 (bech32m)
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', false],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb', false], // b is not in the charset
  ];
  for (const [address, expected] of cases)
    it(`${address} → ${expected}`, () => {
      assert.equal(bech32Valid(address), expected);
    });
});

describe('ssnValid', () => {
  const cases: readonly [string, string, string, boolean][] = [
    ['536', '22', '8745', true],
    ['899', '99', '9999', true], // highest valid area
    ['000', '12', '3456', false],
    ['666', '12', '3456', false],
    ['900', '12', '3456', false],
    ['536', '00', '8745', false],
    ['536', '22', '0000', false],
    ['078', '05', '1120', false], // the voided Woolworth wallet-card number
  ];
  for (const [area, group, serial, expected] of cases) {
    it(`${area}-${group}-${serial} → ${expected}`, () => {
      assert.equal(ssnValid(area, group, serial), expected);
    });
  }
});
