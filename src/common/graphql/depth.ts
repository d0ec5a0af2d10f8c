import {
  Kind,
  type ASTNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError } from '../../domain/errors.js';
import { toGraphQLError } from '../all-exceptions.filter.js';

/**
 * Depth of an operation's selections, following fragments. Introspection (`__schema`, `__type`) is not
 * counted: the IDE's own schema query is 15 levels deep and must always work.
 */
function depthOf(ctx: ValidationContext, set: SelectionSetNode, seen: ReadonlySet<string>): number {
  let max = 0;
  for (const sel of set.selections) {
    let d = 0;
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      d = sel.selectionSet ? 1 + depthOf(ctx, sel.selectionSet, seen) : 1;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      d = depthOf(ctx, sel.selectionSet, seen);
    } else if (!seen.has(sel.name.value)) {
      const frag = ctx.getFragment(sel.name.value);
      if (frag) d = depthOf(ctx, frag.selectionSet, new Set([...seen, sel.name.value]));
    }
    max = Math.max(max, d);
  }
  return max;
}

export function depthRule(max: number): ValidationRule {
  return (ctx) => ({
    OperationDefinition(op: ASTNode & { selectionSet: SelectionSetNode; name?: { value: string } }) {
      const depth = depthOf(ctx, op.selectionSet, new Set());
      if (depth > max) {
        ctx.reportError(
          toGraphQLError(
            new DomainError('BadRequest', `query is too deep: depth ${depth} exceeds the limit of ${max}`),
          ),
        );
      }
    },
  });
}
