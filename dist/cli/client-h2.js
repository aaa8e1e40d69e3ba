/**
 * Stands in for undici's HTTP/2 client (`undici/lib/dispatcher/client-h2.js`) in the bundle.
 *
 * fine-tune-watch speaks HTTP/1.1 only: every pool it makes sets `allowH2: false` (one or two
 * small requests a poll need no multiplexing, and the tests' servers speak what production
 * gets). undici's `client.js` still loads its HTTP/2 client when it loads, and that loads
 * `node:http2`: about 4 ms of every start, for code that never runs. The build leaves
 * `./client-h2.js` outside the bundle (`ncc -e`) and puts this file where that require finds it.
 * `test/http1-only.e2e.test.ts` fails if an undici upgrade loads `node:http2` again or a pool
 * could negotiate HTTP/2.
 */
function connectH2() {
  throw new Error(
    'fine-tune-watch speaks HTTP/1.1 only, but a connection was about to use HTTP/2: a pool was made without allowH2: false.',
  );
}

// What `require('./client-h2.js')` returns (require of an ES module, Node 22.12 and later).
export { connectH2 as 'module.exports' };
