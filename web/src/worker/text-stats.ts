// What a character model must beat: predicting every character by its frequency alone. The loss
// of that predictor is the entropy of the character distribution, H = −Σ p(c) ln p(c), in nats per
// character (the unit of the engine's losses), with characters as Unicode code points as the
// engine counts them ('ñ' is one).
export function unigramEntropy(text: string): number {
  const counts = new Map<number, number>();
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    total++;
  }
  if (total === 0) return NaN;
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / total;
    entropy -= p * Math.log(p);
  }
  return entropy;
}

/** Perplexity e^loss: the number of equally likely characters the model hesitates between. */
export function perplexity(lossNats: number): number {
  return Math.exp(lossNats);
}
