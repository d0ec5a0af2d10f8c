import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors.js';
import { documentsFromValue, parseManifests } from './parse.js';

const raws = (text: string) => parseManifests(text).map((d) => d.raw);
const names = (text: string) =>
  parseManifests(text).map((d) => {
    const r = d.raw as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
    return `${d.index} ${r.apiVersion ?? '-'} ${r.kind ?? '-'} ${r.metadata?.name ?? '-'}`;
  });

function refused(text: string): DomainError {
  try {
    parseManifests(text);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app' }] },
});

describe('parseManifests: YAML', () => {
  it.each([
    {
      name: 'one document',
      text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
      want: ['0 v1 Namespace a'],
    },
    {
      name: 'several documents',
      text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
      want: ['0 v1 Namespace a', '1 v1 Namespace b'],
    },
    {
      name: 'leading separator, empty and comment-only documents skipped',
      text: '---\n# nothing here\n---\n\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\n',
      want: ['0 v1 Namespace a'],
    },
    { name: 'document end markers', text: 'kind: A\n...\n---\nkind: B\n...\n', want: ['0 - A -', '1 - B -'] },
    {
      name: 'a List',
      text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n',
      want: ['0 v1 Namespace a', '1 v1 Pod p'],
    },
  ])('$name', ({ text, want }) => {
    expect(names(text)).toEqual(want);
  });

  it.each([
    { name: 'empty text', text: '' },
    { name: 'only whitespace', text: '  \n\n' },
    { name: 'only separators', text: '---\n---\n' },
    { name: 'only comments', text: '# a\n# b\n' },
  ])('gives no documents for $name', ({ text }) => {
    expect(parseManifests(text)).toEqual([]);
  });

  it('keeps YAML types (numbers, booleans, strings that look like numbers)', () => {
    expect(raws('a: 80\nb: true\nc: "080"\nd: null\ne: 1.5\n')).toEqual([
      { a: 80, b: true, c: '080', d: null, e: 1.5 },
    ]);
  });

  it('expands anchors and aliases', () => {
    expect(raws('x: &l {app: web}\ny: *l\n')).toEqual([{ x: { app: 'web' }, y: { app: 'web' } }]);
  });

  it("merges `<<` keys as Kubernetes' YAML reader does, and keeps timestamps as strings", () => {
    expect(
      raws('base: &b {app: web, tier: fe}\nlabels:\n  <<: *b\n  tier: be\nt: 2024-01-02T03:04:05Z\n'),
    ).toEqual([
      { base: { app: 'web', tier: 'fe' }, labels: { app: 'web', tier: 'be' }, t: '2024-01-02T03:04:05Z' },
    ]);
  });

  it.each([
    { name: 'an unclosed flow sequence', text: 'kind: Pod\nports: [1, 2\n', line: 3 },
    { name: 'a bad indentation', text: 'a: 1\n  b: 2\n', line: 2 },
    { name: 'a duplicate key', text: 'kind: Pod\nkind: Service\n', line: 2 },
    {
      name: 'an error in a later document',
      text: 'kind: Pod\n---\nkind: Pod\nmetadata: {name: "x}\n',
      line: 5,
    },
  ])('refuses $name with BadRequest naming the line', ({ text, line }) => {
    const e = refused(text);
    expect(e.code).toBe('BadRequest');
    expect(e.message).toMatch(new RegExp(`^the body is not valid YAML \\(line ${line}, column \\d+\\): `));
  });

  it('refuses an alias bomb with BadRequest, not an internal error', () => {
    // Each level repeats the previous one ten times: 10^9 nodes once expanded.
    const level = (i: number) => String.fromCharCode(97 + i);
    const lines = [`${level(0)}: &${level(0)} [x, x, x, x, x, x, x, x, x, x]`];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${level(i)}: &${level(i)} [${Array<string>(10)
          .fill(`*${level(i - 1)}`)
          .join(', ')}]`,
      );
    const e = refused(lines.join('\n'));
    expect(e.code).toBe('BadRequest');
    expect(e.message).toBe('the body is not valid YAML: its aliases expand to too many nodes');
  });
});

describe('parseManifests: JSON', () => {
  it.each([
    { name: 'an object', text: JSON.stringify(ns('a')), want: ['0 v1 Namespace a'] },
    {
      name: 'an object after whitespace',
      text: `\n  ${JSON.stringify(ns('a'))}`,
      want: ['0 v1 Namespace a'],
    },
    { name: 'an array', text: JSON.stringify([ns('a'), pod('p')]), want: ['0 v1 Namespace a', '1 v1 Pod p'] },
    { name: 'an empty array', text: '[]', want: [] },
    {
      name: 'a List',
      text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ns('a'), pod('p')] }),
      want: ['0 v1 Namespace a', '1 v1 Pod p'],
    },
  ])('$name', ({ text, want }) => {
    expect(names(text)).toEqual(want);
  });

  it.each([
    { name: 'truncated', text: '{"kind": "Pod",' },
    { name: 'trailing garbage', text: '{"kind": "Pod"} x' },
    { name: 'an array with a trailing comma', text: '[{"kind": "Pod"},]' },
  ])('refuses $name JSON with BadRequest', ({ text }) => {
    const e = refused(text);
    expect(e.code).toBe('BadRequest');
    expect(e.message).toMatch(/^the body is not valid JSON: /);
  });
});

describe('parseManifests: lists', () => {
  it('gives the items of a typed list the kind and apiVersion of the list', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: { resourceVersion: '12' },
      items: [{ metadata: { name: 'a' }, spec: {} }, { metadata: { name: 'b' } }],
    });
    expect(raws(text)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: {} },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } },
    ]);
  });

  it('lets an item of a typed list keep its own kind and apiVersion', () => {
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n';
    expect(names(text)).toEqual(['0 networking.k8s.io/v1 NetworkPolicy a', '1 v1 Service b']);
  });

  it('does not give items of a plain List a kind', () => {
    expect(names('apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n')).toEqual(['0 - - a']);
  });

  it('flattens nested lists in order, numbering the flattened stream', () => {
    const text = JSON.stringify([
      ns('a'),
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'PodList',
            items: [{ metadata: { name: 'p1' } }, { metadata: { name: 'p2' } }],
          },
          ns('b'),
        ],
      },
      pod('p3'),
    ]);
    expect(names(text)).toEqual([
      '0 v1 Namespace a',
      '1 v1 Pod p1',
      '2 v1 Pod p2',
      '3 v1 Namespace b',
      '4 v1 Pod p3',
    ]);
  });

  it('numbers documents across YAML documents and list items', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n';
    expect(parseManifests(text).map((d) => d.index)).toEqual([0, 1, 2]);
  });

  it.each([
    { name: 'an empty List', text: 'apiVersion: v1\nkind: List\nitems: []\n', want: [] },
    {
      name: 'a List without items stays a document',
      text: 'apiVersion: v1\nkind: List\n',
      want: ['0 v1 List -'],
    },
    {
      name: 'a kind ending in List with non-array items stays a document',
      text: 'apiVersion: v1\nkind: PodList\nitems: {}\n',
      want: ['0 v1 PodList -'],
    },
  ])('$name', ({ text, want }) => {
    expect(names(text)).toEqual(want);
  });
});

describe('documentsFromValue (a JSON body already decoded)', () => {
  it('takes an array as a stream and flattens lists, numbering documents in order', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } };
    const list = { apiVersion: 'v1', kind: 'ServiceList', items: [{ metadata: { name: 's' } }] };
    expect(documentsFromValue([pod, list])).toEqual([
      { index: 0, raw: pod },
      { index: 1, raw: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } },
    ]);
    expect(documentsFromValue(pod)).toEqual([{ index: 0, raw: pod }]);
  });
});
