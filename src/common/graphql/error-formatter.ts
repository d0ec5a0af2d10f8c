import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import { toDomainError, toGraphQLError } from '../all-exceptions.filter.js';

interface Execution {
  readonly data?: unknown;
  readonly errors?: readonly GraphQLError[];
  readonly statusCode?: number;
}

/** One error in the contract's shape: every error has `extensions.code`, validation failures included. */
function normalize(e: GraphQLError | Error): GraphQLError {
  if (e instanceof GraphQLError) {
    if (e.extensions?.code) return e;
    const original = e.originalError;
    if (original && !(original instanceof GraphQLError)) {
      const ge = toGraphQLError(toDomainError(original));
      return new GraphQLError(ge.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        path: e.path,
        extensions: ge.extensions,
      });
    }
    // graphql-js validation (unknown field, wrong argument type, depth limit): the request is at fault.
    return new GraphQLError(e.message, {
      nodes: e.nodes,
      source: e.source,
      positions: e.positions,
      path: e.path,
      extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED', reason: 'BadRequest', status: 400 },
    });
  }
  return toGraphQLError(toDomainError(e));
}

/**
 * Mercurius error formatter: flattens Mercurius' wrapped validation errors (so the real message, e.g.
 * the complexity limit, reaches the client) and gives every error a code. Status codes follow Mercurius:
 * 200 when there is data, 400 for a request that failed validation.
 */
export function formatGraphQLErrors(execution: Execution): {
  statusCode: number;
  response: FormattedExecutionResult;
} {
  const flat: (GraphQLError | Error)[] = [];
  for (const e of execution.errors ?? []) {
    const inner = (e.originalError as { errors?: unknown } | undefined)?.errors;
    // Mercurius' own checks (the query depth limit) report plain errors: still the request's fault.
    if (Array.isArray(inner))
      flat.push(
        ...(inner as (GraphQLError | Error)[]).map((x) =>
          x instanceof GraphQLError ? x : new GraphQLError(x.message),
        ),
      );
    else flat.push(e);
  }
  const errors = flat.map(normalize);
  let statusCode = execution.data ? 200 : (execution.statusCode ?? 200);
  if (!execution.data && execution.statusCode === undefined && errors.length > 0) {
    statusCode = errors.every((e) => e.extensions.status === 400 && e.path === undefined) ? 400 : 200;
  }
  const data = (execution.data ?? null) as FormattedExecutionResult['data'];
  return { statusCode, response: { data, errors: errors.map((e) => e.toJSON()) } };
}
