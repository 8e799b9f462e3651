import { RawJson, stringifyResult } from '../../src/common/raw-json';

describe('stringifyResult', () => {
  it('writes a body without RawJson exactly as JSON.stringify does', () => {
    const body = { errors: [{ message: 'no "quotes" lost', path: ['a', 0] }], data: { a: [1, null, 'x\u2028'] }, extensions: { x: { y: undefined, z: 2 } } };
    expect(stringifyResult(body)).toBe(JSON.stringify(body));
    expect(stringifyResult({ data: null })).toBe('{"data":null}');
  });

  it('writes RawJson members as they are, in their place among the other extensions, with extensions last', () => {
    const cost = { estimated: 3, limits: [{ name: 'default', remaining: 7 }], credits: null };
    const body = { data: { viewer: { id: 'k' } }, extensions: { before: 'a"b', cost: new RawJson(JSON.stringify(cost)), gone: undefined, after: [1] } };
    const text = stringifyResult(body);
    expect(text).toBe(JSON.stringify({ data: { viewer: { id: 'k' } }, extensions: { before: 'a"b', cost, after: [1] } }));
    expect(JSON.parse(text).extensions.cost).toEqual(cost);
  });

  it('writes a body whose only member is extensions', () => {
    expect(stringifyResult({ extensions: { cost: new RawJson('{"actual":0}') } })).toBe('{"extensions":{"cost":{"actual":0}}}');
  });

  it('gives the same JSON when something else stringifies a RawJson', () => {
    expect(JSON.stringify({ cost: new RawJson('{"a": [1, 2]}') })).toBe('{"cost":{"a":[1,2]}}');
  });
});
