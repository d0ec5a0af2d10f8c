import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors.js';
import type { LabelSelector, Labels } from '../model/types.js';
import {
  EVERYTHING,
  NOTHING,
  formatSelector,
  fromLabelSelector,
  fromServiceSelector,
  isEverything,
  matches,
  parseLabelSelectorString,
  type Requirement,
} from './index.js';

/** The requirements as compact text rows: `key op v1|v2`. */
function reqs(s: string): string[] {
  return parseLabelSelectorString(s).requirements.map((r: Requirement) =>
    `${r.key} ${r.operator} ${r.values.join('|')}`.trimEnd(),
  );
}

function parseError(s: string): DomainError {
  try {
    parseLabelSelectorString(s);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(s)} to be refused`);
}

describe('parseLabelSelectorString: accepted forms', () => {
  it.each([
    { name: 'equality', input: 'a=b', want: ['a = b'] },
    { name: 'double equals', input: 'a==b', want: ['a == b'] },
    { name: 'inequality', input: 'a!=b', want: ['a != b'] },
    { name: 'in with two values', input: 'a in (x,y)', want: ['a in x|y'] },
    { name: 'in values sorted and trimmed', input: 'a in ( y , x )', want: ['a in x|y'] },
    { name: 'duplicate values collapse (a set)', input: 'a in (x,x,y)', want: ['a in x|y'] },
    { name: 'notin', input: 'a notin (x)', want: ['a notin x'] },
    { name: 'notin without a space before (', input: 'a notin(x)', want: ['a notin x'] },
    { name: 'exists', input: 'a', want: ['a exists'] },
    { name: 'exists with trailing space', input: 'a ', want: ['a exists'] },
    { name: 'does not exist', input: '!a', want: ['a !'] },
    { name: 'does not exist with a space after !', input: '! a', want: ['a !'] },
    { name: 'greater than', input: 'a>5', want: ['a gt 5'] },
    { name: 'less than', input: 'a<5', want: ['a lt 5'] },
    {
      name: 'whitespace between every token',
      input: '  a  =  b ,\tc\n in ( x )  ,  d  ',
      want: ['a = b', 'c in x', 'd exists'],
    },
    { name: 'carriage return is whitespace', input: '\rx', want: ['x exists'] },
    {
      name: 'several requirements sorted by key',
      input: 'z=1,x!=2,y in (3)',
      want: ['x != 2', 'y in 3', 'z = 1'],
    },
    { name: 'same key twice kept in input order', input: 'z!=a,z', want: ['z != a', 'z exists'] },
    { name: 'two bare keys', input: 'x,y', want: ['x exists', 'y exists'] },
    { name: 'empty value after =', input: 'x=', want: ['x ='] },
    { name: 'empty value followed by another requirement', input: 'x=,z= ', want: ['x =', 'z ='] },
    { name: 'empty set means the empty value', input: 'x in ()', want: ['x in'] },
    { name: 'empty set with spaces', input: 'x notin ( )', want: ['x notin'] },
    { name: 'trailing comma inside the set adds the empty value', input: 'x in (abc,)', want: ['x in |abc'] },
    {
      name: 'leading comma inside the set adds the empty value',
      input: 'x notin (, a)',
      want: ['x notin |a'],
    },
    {
      name: 'keywords are values inside a set',
      input: 'a in (x,y,notin, z,in)',
      want: ['a in in|notin|x|y|z'],
    },
    {
      name: 'keywords are keys and values outside operator position',
      input: 'notin=in',
      want: ['notin = in'],
    },
    { name: 'in as key, operator and value', input: 'in in (in)', want: ['in in in'] },
    {
      name: 'prefixed key',
      input: 'this-is-a-dns.domain.com/key-with-dash in (so,what)',
      want: ['this-is-a-dns.domain.com/key-with-dash in so|what'],
    },
    {
      name: 'dotted values',
      input: '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      want: ['0.1.2.domain/99 notin 10.10.100.1|tick.tack.clock'],
    },
    { name: 'uppercase key and value', input: 'App=Web', want: ['App = Web'] },
  ])('$name: $input', ({ input, want }) => {
    expect(reqs(input)).toEqual(want);
  });

  it.each([
    { name: 'empty string', input: '' },
    { name: 'only whitespace', input: '  \t ' },
  ])('$name selects everything', ({ input }) => {
    const sel = parseLabelSelectorString(input);
    expect(isEverything(sel)).toBe(true);
    expect(matches(sel, { any: 'thing' })).toBe(true);
    expect(matches(sel, undefined)).toBe(true);
  });

  it('parses deterministically whatever the order of requirements', () => {
    expect(formatSelector(parseLabelSelectorString('x=a,a=x'))).toBe(
      formatSelector(parseLabelSelectorString('a=x,x=a')),
    );
  });
});

describe('parseLabelSelectorString: refused forms', () => {
  it.each([
    { name: 'empty operand list never closed', input: 'x in (', why: "expected: ',' or ')'" },
    { name: 'missing )', input: 'a in (x', why: "expected: ',' or ')'" },
    { name: 'notin with ( and nothing else', input: 'a notin(', why: "expected: ',' or ')'" },
    { name: 'set without (', input: 'a in x', why: "expected: '('" },
    { name: 'values not separated by a comma', input: 'a in (xyz abc)', why: "expected: ',' or ')'" },
    { name: 'trailing comma after a requirement', input: 'a=b,', why: 'expected: identifier' },
    { name: 'trailing comma after a set', input: 'a in (xyz),', why: 'expected: identifier' },
    { name: 'leading comma', input: ',x,y', why: 'expected: identifier' },
    { name: 'double comma', input: 'a,,b', why: 'expected: identifier' },
    { name: 'bad key character Foo!', input: 'Foo!', why: "found '!'" },
    { name: 'key starting with a dash', input: '-a=b', why: 'Invalid value: "-a"' },
    { name: 'key with two slashes', input: 'a/b/c', why: 'Invalid value: "a/b/c"' },
    {
      name: 'key name part too long',
      input: `${'k'.repeat(64)}=v`,
      why: 'must be no more than 63 characters',
    },
    { name: 'value starting with a dash', input: 'a=-b', why: 'Invalid value: "-b"' },
    { name: 'value too long', input: `a=${'v'.repeat(64)}`, why: 'must be no more than 63 characters' },
    { name: 'invalid value inside a set', input: 'a in (ok,_bad)', why: 'Invalid value: "_bad"' },
    { name: 'value with a character no label can hold', input: 'a=b@c', why: "found '@'" },
    { name: 'two values for =', input: 'a=b c', why: "found 'c'" },
    { name: 'chained equality', input: 'x==a==b', why: "found '='" },
    { name: 'or is not an operator', input: 'x=a||y=b', why: "found '|'" },
    { name: 'does-not-exist with a value', input: '!x=a', why: "found '='" },
    { name: 'does-not-exist twice', input: '!!x', why: 'expected: identifier' },
    { name: 'unknown operator word', input: 'x nott in (y)', why: "found 'nott'" },
    { name: 'no operator before (', input: 'a (', why: "found '('" },
    { name: 'lone (', input: '(', why: 'expected: identifier' },
    { name: 'text after a set', input: 'a in (xyz)b notin ()', why: "expected: ',' or 'end of string'" },
    { name: 'gt needs an integer', input: 'x<a', why: 'the value must be an integer' },
    { name: 'gt value beyond int64', input: 'x>99999999999999999999', why: 'the value must be an integer' },
    { name: 'gt with a negative value (not a valid label value)', input: 'x>-1', why: 'Invalid value: "-1"' },
    { name: 'form feed is not whitespace', input: 'a=b\f', why: "found '\f'" },
  ])('$name: $input', ({ input, why }) => {
    const e = parseError(input);
    expect(e.code).toBe('BadRequest');
    expect(e.message).toMatch(/^unable to parse requirement: /);
    expect(e.message).toContain(why);
  });
});

describe('matches (k8s.io/apimachinery/pkg/labels semantics)', () => {
  it.each<{ name: string; selector: string; labels: Labels | undefined; want: boolean }>([
    { name: 'equality on the value', selector: 'x=y', labels: { x: 'y' }, want: true },
    { name: 'equality on another value', selector: 'x=y', labels: { x: 'z' }, want: false },
    { name: 'equality with the label absent', selector: 'x=z', labels: {}, want: false },
    { name: 'equality with no labels at all', selector: 'x=z', labels: undefined, want: false },
    { name: 'all of several equalities', selector: 'x=y,z=w', labels: { x: 'y', z: 'w' }, want: true },
    { name: 'one of several equalities fails', selector: 'x=y,z=w', labels: { x: 'w', z: 'w' }, want: false },
    {
      name: 'extra labels do not matter',
      selector: 'foo=bar',
      labels: { foo: 'bar', baz: 'blah' },
      want: true,
    },
    {
      name: 'a required label missing among others',
      selector: 'foo=bar,foobar=bar,baz=blah',
      labels: { foo: 'bar', baz: 'blah' },
      want: false,
    },
    { name: '== is equality', selector: 'x==y', labels: { x: 'y' }, want: true },
    { name: 'empty value matches the empty label', selector: 'x=', labels: { x: '' }, want: true },
    { name: 'empty value does not match a set label', selector: 'x=', labels: { x: 'a' }, want: false },
    { name: '!= on other values', selector: 'x!=y,z!=w', labels: { x: 'z', z: 'a' }, want: true },
    { name: '!= on the value', selector: 'x!=y,z!=w', labels: { x: 'z', z: 'w' }, want: false },
    { name: '!= matches when the label is absent', selector: 'x!=y', labels: { other: 'y' }, want: true },
    { name: '!= matches an object with no labels', selector: 'x!=y', labels: undefined, want: true },
    { name: 'in: value in the set', selector: 'x in (a,b)', labels: { x: 'b' }, want: true },
    { name: 'in: value outside the set', selector: 'x in (a,b)', labels: { x: 'c' }, want: false },
    { name: 'in: label absent', selector: 'x in (a,b)', labels: {}, want: false },
    { name: 'in (): the empty value only', selector: 'x in ()', labels: { x: '' }, want: true },
    { name: 'in (): a non-empty value', selector: 'x in ()', labels: { x: 'a' }, want: false },
    { name: 'notin: value outside the set', selector: 'y notin (alpha)', labels: { y: 'baz' }, want: true },
    { name: 'notin: value in the set', selector: 'y notin (alpha,baz)', labels: { y: 'baz' }, want: false },
    {
      name: 'notin matches when the label is absent',
      selector: 'x notin (a)',
      labels: { y: 'a' },
      want: true,
    },
    {
      name: 'notin () with the label absent, and y exists',
      selector: 'x notin (),y',
      labels: { y: '' },
      want: true,
    },
    {
      name: 'in and notin together',
      selector: 'x in (foo),y notin (alpha)',
      labels: { x: 'foo', y: 'baz' },
      want: true,
    },
    { name: 'exists', selector: 'x', labels: { x: 'z' }, want: true },
    { name: 'exists with an empty value', selector: 'x', labels: { x: '' }, want: true },
    { name: 'exists with the label absent', selector: 'x', labels: { y: 'z' }, want: false },
    { name: 'does not exist with the label absent', selector: '!x', labels: { y: 'z' }, want: true },
    { name: 'does not exist with the label present', selector: '!x', labels: { x: 'z' }, want: false },
    { name: 'does not exist with an empty value present', selector: '!x', labels: { x: '' }, want: false },
    { name: 'does not exist and exists together', selector: '!x,y', labels: { y: '' }, want: true },
    { name: 'notin () and does not exist', selector: 'x notin (),!y', labels: { y: '' }, want: false },
    { name: 'gt on a larger integer', selector: 'x>1', labels: { x: '2' }, want: true },
    { name: 'gt on a smaller integer', selector: 'x>1', labels: { x: '0' }, want: false },
    { name: 'gt is strict', selector: 'x>1', labels: { x: '1' }, want: false },
    { name: 'gt compares numbers, not text', selector: 'x>9', labels: { x: '10' }, want: true },
    { name: 'gt with leading zeros', selector: 'x>5', labels: { x: '007' }, want: true },
    { name: 'gt on a non-integer label', selector: 'z>1', labels: { z: 'v2' }, want: false },
    { name: 'gt on a decimal label', selector: 'z>1', labels: { z: '1.5' }, want: false },
    { name: 'gt with the label absent', selector: 'x>1', labels: {}, want: false },
    {
      name: 'gt beyond float precision',
      selector: 'x>9007199254740992',
      labels: { x: '9007199254740993' },
      want: true,
    },
    {
      name: 'gt on a label beyond int64',
      selector: 'x>1',
      labels: { x: '99999999999999999999' },
      want: false,
    },
    { name: 'lt on a smaller integer', selector: 'x<1', labels: { x: '0' }, want: true },
    { name: 'lt on a larger integer', selector: 'x<1', labels: { x: '2' }, want: false },
    { name: 'lt on an empty label', selector: 'x<1', labels: { x: '' }, want: false },
    { name: 'prototype keys are not labels', selector: 'constructor', labels: {}, want: false },
    { name: 'everything matches an object with no labels', selector: '', labels: undefined, want: true },
  ])('$name: "$selector"', ({ selector, labels, want }) => {
    expect(matches(parseLabelSelectorString(selector), labels)).toBe(want);
  });

  it('NOTHING matches no labels, even empty ones', () => {
    expect(matches(NOTHING, {})).toBe(false);
    expect(matches(NOTHING, undefined)).toBe(false);
    expect(isEverything(NOTHING)).toBe(false);
    expect(isEverything(EVERYTHING)).toBe(true);
  });
});

describe('fromLabelSelector (metav1.LabelSelectorAsSelector)', () => {
  it.each<{
    name: string;
    selector: LabelSelector | null | undefined;
    labels: Labels | undefined;
    want: boolean;
  }>([
    { name: 'nil selects nothing', selector: null, labels: { app: 'web' }, want: false },
    { name: 'undefined selects nothing', selector: undefined, labels: {}, want: false },
    { name: '{} selects everything', selector: {}, labels: { app: 'web' }, want: true },
    { name: '{} selects an object without labels', selector: {}, labels: undefined, want: true },
    {
      name: 'empty matchLabels and matchExpressions select everything',
      selector: { matchLabels: {}, matchExpressions: [] },
      labels: {},
      want: true,
    },
    {
      name: 'matchLabels equal',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'web', tier: 'fe' },
      want: true,
    },
    {
      name: 'matchLabels differ',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'db' },
      want: false,
    },
    {
      name: 'matchLabels AND matchExpressions, both hold',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }],
      },
      labels: { app: 'web', tier: 'be' },
      want: true,
    },
    {
      name: 'matchLabels AND matchExpressions, the expression fails',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }],
      },
      labels: { app: 'web', tier: 'be' },
      want: false,
    },
    {
      name: 'matchLabels AND matchExpressions, the label fails',
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      labels: { app: 'db', tier: 'be' },
      want: false,
    },
    {
      name: 'NotIn with the label absent',
      selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      labels: {},
      want: true,
    },
    {
      name: 'NotIn on a listed value',
      selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      labels: { env: 'prod' },
      want: false,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] },
      labels: { env: '' },
      want: true,
    },
    {
      name: 'Exists with the label absent',
      selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] },
      labels: {},
      want: false,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] },
      labels: { app: 'x' },
      want: true,
    },
    {
      name: 'DoesNotExist with the label present',
      selector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] },
      labels: { env: 'x' },
      want: false,
    },
    {
      name: 'several expressions on one key',
      selector: {
        matchExpressions: [
          { key: 'env', operator: 'Exists' },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
        ],
      },
      labels: { env: 'dev' },
      want: true,
    },
  ])('$name', ({ selector, labels, want }) => {
    expect(matches(fromLabelSelector(selector), labels)).toBe(want);
  });

  it.each([
    { name: 'Gt is not a LabelSelector operator', operator: 'Gt' },
    { name: 'operators are case-sensitive', operator: 'in' },
    { name: 'empty operator', operator: '' },
  ])('$name: throws BadRequest', ({ operator }) => {
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator, values: ['1'] }] })).toThrow(
      new DomainError('BadRequest', `"${operator}" is not a valid label selector operator`),
    );
  });

  it('sorts requirements by key and renders them canonically', () => {
    const sel = fromLabelSelector({
      matchLabels: { z: '1', a: '2' },
      matchExpressions: [
        { key: 'm', operator: 'NotIn', values: ['y', 'x'] },
        { key: 'b', operator: 'DoesNotExist' },
      ],
    });
    expect(formatSelector(sel)).toBe('a=2,!b,m notin (x,y),z=1');
  });

  it('does not share the values array of its input', () => {
    const values = ['a'];
    const sel = fromLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values }] });
    values.push('b');
    expect(sel.requirements[0]!.values).toEqual(['a']);
  });
});

describe('fromServiceSelector', () => {
  it.each<{ name: string; selector: Labels | undefined; labels: Labels | undefined; want: boolean }>([
    { name: 'missing selector selects nothing', selector: undefined, labels: { app: 'web' }, want: false },
    { name: 'empty selector selects nothing', selector: {}, labels: { app: 'web' }, want: false },
    { name: 'empty selector does not select unlabelled pods', selector: {}, labels: undefined, want: false },
    {
      name: 'all pairs present',
      selector: { app: 'web', tier: 'fe' },
      labels: { app: 'web', tier: 'fe', x: 'y' },
      want: true,
    },
    {
      name: 'one pair different',
      selector: { app: 'web', tier: 'fe' },
      labels: { app: 'web', tier: 'be' },
      want: false,
    },
    { name: 'one pair missing', selector: { app: 'web', tier: 'fe' }, labels: { app: 'web' }, want: false },
  ])('$name', ({ selector, labels, want }) => {
    expect(matches(fromServiceSelector(selector), labels)).toBe(want);
  });
});

describe('formatSelector (labels.Selector.String)', () => {
  it.each([
    { name: 'three equalities', input: 'x=a,y=b,z=c', want: 'x=a,y=b,z=c' },
    { name: 'inequality', input: 'x!=a,y=b', want: 'x!=a,y=b' },
    { name: 'double equals kept', input: 'x=abc,y==jkl,z!=a,z', want: 'x=abc,y==jkl,z!=a,z' },
    { name: 'empty value', input: 'x=', want: 'x=' },
    { name: 'empty value with a space', input: 'x= ', want: 'x=' },
    { name: 'two empty values', input: 'x= ,z= ', want: 'x=,z=' },
    { name: 'does not exist', input: '!x', want: '!x' },
    { name: 'gt', input: 'x>1', want: 'x>1' },
    { name: 'gt and lt', input: 'x>1,z<5', want: 'x>1,z<5' },
    {
      name: 'sets with sorted values',
      input: 'x in (def,abc),y notin (jkl),z',
      want: 'x in (abc,def),y notin (jkl),z',
    },
    { name: 'empty set', input: 'z notin ()', want: 'z notin ()' },
    { name: 'set with the empty value', input: 'x in (abc,)', want: 'x in (,abc)' },
    { name: 'sorted by key', input: 'b=1,a=2', want: 'a=2,b=1' },
    { name: 'everything', input: '', want: '' },
  ])('$name: "$input" -> "$want"', ({ input, want }) => {
    expect(formatSelector(parseLabelSelectorString(input))).toBe(want);
  });

  it('renders NOTHING as <none>', () => {
    expect(formatSelector(NOTHING)).toBe('<none>');
  });

  it('re-parses to the same selector', () => {
    const s = 'a in (x,y),!b,c,d!=e,f>3,g<4,h==i,j notin (k)';
    const once = parseLabelSelectorString(s);
    expect(parseLabelSelectorString(formatSelector(once))).toEqual(once);
  });
});
