// dnf as the compose runs it: into an installroot, from the compose's own repos only (reposdir
// /dev/null, --repofrompath), with the platform stream set so modules resolve, and no network.
export function dnfArgs(options: {
  installroot: string;
  cacheDir: string;
  platformStream: string;
  repos: string[];
}): string[] {
  return [
    '-y',
    `--installroot=${options.installroot}`,
    `--releasever=${/\d+/.exec(options.platformStream)?.[0] ?? options.platformStream}`,
    `--setopt=module_platform_id=platform:${options.platformStream}`,
    '--setopt=reposdir=/dev/null',
    `--setopt=cachedir=${options.cacheDir}`,
    '--setopt=install_weak_deps=False',
    '--nogpgcheck',
    ...options.repos.flatMap((dir, i) => [`--repofrompath=compose${i},${dir}`, `--repo=compose${i}`]),
  ];
}

/** dnf's own explanation: its first "Error"/"Problem" line and the next, else its last line. */
export function dnfReason(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const at = lines.findIndex((l) => /^(Error|Problem|No match|Unable to resolve|nothing provides)/i.test(l));
  if (at >= 0) return lines.slice(at, at + 3).join(' ');
  return lines.at(-1) ?? 'no output';
}
