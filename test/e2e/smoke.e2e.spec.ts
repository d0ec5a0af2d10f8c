import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';

describe('a fresh cluster', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('holds the system namespaces and the kubernetes and kube-dns services', async () => {
    const ns = await t.http().get('/api/v1/namespaces').expect(200);
    expect(ns.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const k = await t.http().get('/api/v1/namespaces/default/services/kubernetes').expect(200);
    expect(k.body.spec.clusterIP).toBe('10.96.0.1');
    const dns = await t.http().get('/api/v1/namespaces/kube-system/services/kube-dns').expect(200);
    expect(dns.body.spec.clusterIP).toBe('10.96.0.10');
    expect(
      dns.body.spec.ports.map(
        (p: { name: string; port: number; protocol: string }) => `${p.name}:${p.port}/${p.protocol}`,
      ),
    ).toEqual(['dns:53/UDP', 'dns-tcp:53/TCP', 'metrics:9153/TCP']);
  });

  it('is ready', async () => {
    await t.http().get('/readyz').expect(200, 'ok');
  });
});
