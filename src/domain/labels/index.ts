export * from './selector.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { parseSelector, type Selector } from './selector.js';

/** Parses a `?labelSelector=` string with label key and value rules applied. */
export function parseLabelSelectorString(s: string): Selector {
  return parseSelector(s, isQualifiedName, isValidLabelValue);
}
