/**
 * Binarised multinomial naive Bayes (Metsis, Androutsopoulos & Paliouras, "Spam filtering with
 * naive Bayes — which naive Bayes?", CEAS 2006): each feature counts once per document, with
 * additive smoothing. It learns one document at a time from plain counts, so a moderator's
 * decision changes the model at once and the state is a small JSON object of counts.
 */

export type Label = 'spam' | 'ham';

export interface NaiveBayesState {
  /** Documents learned per class. */
  docs: { spam: number; ham: number };
  /** Feature occurrences per class, summed over documents. */
  total: { spam: number; ham: number };
  /** Per feature: [count in spam, count in ham]. */
  counts: Record<string, [number, number]>;
}

export class NaiveBayes {
  #docs = { spam: 0, ham: 0 };
  #total = { spam: 0, ham: 0 };
  #counts = new Map<string, [number, number]>();
  readonly #alpha: number;

  constructor(alpha = 1) {
    this.#alpha = alpha;
  }

  get documents(): { spam: number; ham: number } {
    return { ...this.#docs };
  }

  learn(features: Iterable<string>, label: Label): void {
    const index = label === 'spam' ? 0 : 1;
    this.#docs[label] += 1;
    for (const feature of features) {
      let pair = this.#counts.get(feature);
      if (!pair) {
        pair = [0, 0];
        this.#counts.set(feature, pair);
      }
      pair[index] += 1;
      this.#total[label] += 1;
    }
  }

  /**
   * Log-odds that the document is spam, ln P(spam|x) − ln P(ham|x). Zero until both classes
   * have examples, so an untrained filter leaves the decision to the rules.
   */
  logOdds(features: Iterable<string>): number {
    if (this.#docs.spam === 0 || this.#docs.ham === 0) return 0;
    const vocabulary = this.#counts.size;
    const spamDenominator = Math.log(this.#total.spam + this.#alpha * vocabulary);
    const hamDenominator = Math.log(this.#total.ham + this.#alpha * vocabulary);
    let sum = Math.log(this.#docs.spam) - Math.log(this.#docs.ham);
    for (const feature of features) {
      const pair = this.#counts.get(feature);
      // A feature never seen in training says nothing about either class.
      if (!pair) continue;
      sum += Math.log(pair[0] + this.#alpha) - spamDenominator - (Math.log(pair[1] + this.#alpha) - hamDenominator);
    }
    return sum;
  }

  toJSON(): NaiveBayesState {
    return { docs: { ...this.#docs }, total: { ...this.#total }, counts: Object.fromEntries(this.#counts) };
  }

  static fromJSON(state: NaiveBayesState, alpha = 1): NaiveBayes {
    const model = new NaiveBayes(alpha);
    model.#docs = { ...state.docs };
    model.#total = { ...state.total };
    for (const [feature, pair] of Object.entries(state.counts)) model.#counts.set(feature, [pair[0], pair[1]]);
    return model;
  }
}
