/**
 * Network namespaces for the client specs that load generated rules into the real kernel: `ip netns`
 * namespaces with unique names, commands run inside them (as root, or through passwordless sudo), and
 * routed veth pairs that stand in for pod interfaces.
 */
import { spawn, spawnSync } from 'node:child_process';
import { findExecutable } from './tools.js';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the program's standard input, which is then closed. */
  readonly input?: string;
  /** Killed after this long (5 s by default). */
  readonly timeoutMs?: number;
  /** Resolve with a non-zero exit instead of throwing. */
  readonly allowFailure?: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
  ) {
    const why = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
    super(
      `${argv.join(' ')}: ${why}\n--- stderr\n${result.stderr.trim()}\n--- stdout\n${result.stdout.trim().slice(0, 4000)}`,
    );
  }
}

/** `sudo -n` when not root (and sudo works without a password); nothing as root. */
let prefix: string[] = [];

/** Runs a program to its end and collects its output. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const full = [...prefix, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 5_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal, stdout, stderr };
      if ((code !== 0 || signal) && !opts.allowFailure) reject(new CommandError(full, r));
      else resolve(r);
    });
    // A program that exits before reading its input (an error) closes the pipe: that is not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Whether this process can create network namespaces: a string saying why not, or undefined when it
 * can. Probes with a throwaway namespace, so a container without CAP_SYS_ADMIN is found out here.
 */
export function netnsUnavailable(): string | undefined {
  const root = process.getuid?.() === 0;
  if (!root) {
    const sudo = findExecutable('sudo');
    if (!sudo || spawnSync(sudo, ['-n', 'true']).status !== 0)
      return 'not root, and no passwordless sudo (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)';
    prefix = [sudo, '-n'];
  }
  const probe = `nm-probe-${process.pid}`;
  const [cmd, ...args] = [...prefix, 'ip', 'netns', 'add', probe];
  const add = spawnSync(cmd!, args, { encoding: 'utf8' });
  if (add.status !== 0)
    return `cannot create a network namespace: ${(add.stderr || add.error?.message || '').trim()}`;
  const [c2, ...a2] = [...prefix, 'ip', 'netns', 'del', probe];
  spawnSync(c2!, a2);
  return undefined;
}

let counter = 0;

/** One `ip netns` namespace, its loopback up. */
export class Netns {
  private constructor(readonly name: string) {}

  static async create(role: string): Promise<Netns> {
    const name = `nm-${process.pid}-${++counter}-${role}`.slice(0, 40);
    await run(['ip', 'netns', 'add', name]);
    const ns = new Netns(name);
    live.add(ns);
    await ns.exec(['ip', 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Runs argv inside the namespace (`ip netns exec`); throws on a non-zero exit unless allowed. */
  exec(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(['ip', 'netns', 'exec', this.name, ...argv], opts);
  }

  /** Starts argv inside the namespace and leaves it running (a server). */
  spawn(argv: readonly string[]) {
    const full = [...prefix, 'ip', 'netns', 'exec', this.name, ...argv];
    return spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Sets a sysctl of the namespace (through /proc/sys: no procps needed). */
  async sysctl(key: string, value: string | number): Promise<void> {
    const path = `/proc/sys/${key.replaceAll('.', '/')}`;
    await this.exec(['sh', '-c', `echo ${value} > ${path}`]);
  }

  async delete(): Promise<void> {
    live.delete(this);
    await run(['ip', 'netns', 'del', this.name], { allowFailure: true });
  }
}

const live = new Set<Netns>();

/** Deletes every namespace this process created and has not deleted yet. */
export async function deleteAllNetns(): Promise<void> {
  for (const ns of [...live]) await ns.delete();
}

/** The gateway address every pod routes through: on the node's end of each veth, as Calico does. */
export const POD_GATEWAY = '169.254.1.1';

/**
 * Connects a pod namespace to the node namespace with a veth pair: the pod's end is `eth0` with the
 * pod IP as a /32 and a default route through POD_GATEWAY (link-local, on the node's end); the node
 * routes the /32 to its end.
 */
export async function plugPod(node: Netns, pod: Netns, podIP: string, hostIf: string): Promise<void> {
  await node.exec(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.name]);
  await node.exec(['ip', 'addr', 'add', `${POD_GATEWAY}/32`, 'dev', hostIf]);
  await node.exec(['ip', 'link', 'set', hostIf, 'up']);
  await node.exec(['ip', 'route', 'add', `${podIP}/32`, 'dev', hostIf]);
  await pod.exec(['ip', 'addr', 'add', `${podIP}/32`, 'dev', 'eth0']);
  await pod.exec(['ip', 'link', 'set', 'eth0', 'up']);
  await pod.exec(['ip', 'route', 'add', POD_GATEWAY, 'dev', 'eth0', 'scope', 'link']);
  await pod.exec(['ip', 'route', 'add', 'default', 'via', POD_GATEWAY, 'dev', 'eth0']);
}
