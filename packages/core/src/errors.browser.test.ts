import { expect } from '@open-wc/testing';
import { ColloquyError } from './errors.js';

describe('ColloquyError in the browser', () => {
  it('serialises to the protocol envelope', () => {
    const error = new ColloquyError('rate_limited', 'Slow down.', { retryAfter: 3 });
    expect(JSON.parse(JSON.stringify(error))).to.deep.equal({ error: { code: 'rate_limited', message: 'Slow down.' } });
    expect(error.status).to.equal(429);
    expect(error.retryable).to.equal(true);
  });
});
