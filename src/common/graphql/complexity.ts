import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError } from '../../domain/errors.js';
import { toGraphQLError } from '../all-exceptions.filter.js';

/** How many items a list is assumed to return when no literal `first` bounds it. */
export const ASSUMED_LIST_SIZE = 100;

/**
 * Estimated cost of an operation, from its text alone (so Mercurius can cache the validation): each
 * field costs 1 plus its children's cost times how often they run, which is a literal `first`, or an
 * assumed page for lists and for `first` given as a variable. Nested lists multiply, so "every pod's
 * services' pods" is expensive on paper before it is expensive in fact. On a paged list
 * (`pods(first: 5) { items { ... } }`) the wrapper runs once and `first` bounds its `items`.
 */
export function operationCost(
  ctx: ValidationContext,
  set: SelectionSetNode,
  type: GraphQLNamedType,
  seen: Set<string> = new Set(),
  pageSize?: number,
): number {
  if (!isObjectType(type) && !isInterfaceType(type)) return 0;
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === '__typename') continue;
      const def = type.getFields()[sel.name.value];
      if (!def) continue;
      const isList = isListType(getNullableType(def.type));
      const firstArg = sel.arguments?.find((a) => a.name.value === 'first');
      const first = firstArg
        ? firstArg.value.kind === Kind.INT
          ? Math.max(Number(firstArg.value.value), 1)
          : ASSUMED_LIST_SIZE
        : undefined;
      const child = sel.selectionSet
        ? operationCost(ctx, sel.selectionSet, getNamedType(def.type), seen, isList ? undefined : first)
        : 0;
      let times = 1;
      if (isList)
        times =
          first ?? (sel.name.value === 'items' && pageSize !== undefined ? pageSize : ASSUMED_LIST_SIZE);
      cost += 1 + child * times;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? ctx.getSchema().getType(sel.typeCondition.name.value) : type;
      if (t) cost += operationCost(ctx, sel.selectionSet, t, seen, pageSize);
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue; // cycles are reported by NoFragmentCycles
      const frag = ctx.getFragment(name);
      const t = frag ? ctx.getSchema().getType(frag.typeCondition.name.value) : undefined;
      if (frag && t) cost += operationCost(ctx, frag.selectionSet, t, new Set([...seen, name]), pageSize);
    }
  }
  return cost;
}

export function complexityRule(max: number): ValidationRule {
  return (ctx) => ({
    OperationDefinition(op) {
      const schema = ctx.getSchema();
      const root =
        op.operation === 'mutation'
          ? schema.getMutationType()
          : op.operation === 'subscription'
            ? schema.getSubscriptionType()
            : schema.getQueryType();
      if (!root) return;
      const cost = operationCost(ctx, op.selectionSet, root);
      if (cost > max) {
        ctx.reportError(
          toGraphQLError(
            new DomainError(
              'BadRequest',
              `query is too complex: estimated cost ${cost} exceeds the limit of ${max}; ask for fewer nested lists or pass smaller \`first\` values`,
            ),
          ),
        );
      }
    },
  });
}
