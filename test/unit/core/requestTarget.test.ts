import * as assert from 'node:assert/strict';
import { requestTarget } from '../../../src/core/net/requestTarget';

describe('requestTarget (path and query of a request target)', () => {
  // Plain targets take the fast path; the others go through URL parsing. Either way the answer must be URL's.
  const targets = [
    '/', '/hello', '/users/7', '/users/7?a=1&a=2&b=', '/files/report.final.pdf', '/a/b/?x=%20y', '/p%2Fq/r',
    '/a/./b', '/a/../b', '/a/%2e%2E/b', '/a/.', '/a/..', '/sp ace', '/é', '/q?x=a b', '/q?x="quoted"', '/back\\slash',
    '/frag#ment', '/a?b?c', '/%zz', '/{id}', '/users?name=<b>', '/a;b=c/d:e@f', "/it's/(ok)*", '/?', '/x?', "/q?x=it's", '/q?x=a\\b', '/q?x=`tick`',
  ];
  for (const target of targets) {
    it(`reads ${JSON.stringify(target)} as URL parsing does`, () => {
      const url = new URL(target, 'http://local');
      assert.deepEqual(requestTarget(target), { pathname: url.pathname, query: url.search.slice(1) });
    });
  }

  it('reads a missing target as /', () => {
    assert.deepEqual(requestTarget(undefined), { pathname: '/', query: '' });
  });
});
