import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const DEFAULT_QUERY = `# netmodel: a model of your cluster's network.
# Try: the services in a namespace with the pods they select.
query Services {
  services(namespace: "shop") {
    totalCount
    items {
      metadata { name labels }
      spec { type clusterIP ports { name port targetPort protocol } }
      pods { metadata { name } status { podIP } }
    }
  }
}
`;

let cached: string | undefined;

/** The GraphiQL IDE as one self-contained page: scripts and styles inline, nothing fetched from a CDN. */
export function graphiqlPage(): string {
  cached ??= renderGraphiQL({
    endpoint: '/graphql',
    title: 'netmodel GraphQL',
    defaultQuery: DEFAULT_QUERY,
    isHeadersEditorEnabled: true,
  });
  return cached;
}
