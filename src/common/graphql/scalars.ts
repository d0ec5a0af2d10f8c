import { GraphQLScalarType, Kind } from 'graphql';
export { GraphQLJSONObject } from 'graphql-scalars';

/** Kubernetes intstr.IntOrString: a port number or a port name. */
export const IntOrStringScalar = new GraphQLScalarType({
  name: 'IntOrString',
  description: 'An integer or a string, as Kubernetes IntOrString (e.g. a targetPort number or name).',
  serialize(v: unknown) {
    if (typeof v === 'number' || typeof v === 'string') return v;
    throw new TypeError(`IntOrString cannot represent ${JSON.stringify(v)}`);
  },
  parseValue(v: unknown) {
    if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string') return v;
    throw new TypeError(`IntOrString cannot represent ${JSON.stringify(v)}`);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.INT) return Number(ast.value);
    if (ast.kind === Kind.STRING) return ast.value;
    throw new TypeError('IntOrString must be an integer or a string');
  },
});
