// A module's scmurl as MBS takes it on submission (get_scm_url_re in web/utils.py, the schemes of
// common/scm.py): <scheme>://<host>/<repo path>[?<module path>]#<revision>. Cascade builds the modules of its
// own dist-git, so the repository path must end in modules/<name> (or modules/<name>.git).

const SCHEMES = ['git', 'git+http', 'git+https', 'git+rsync', 'http', 'https', 'file'];

export interface MbsScmUrl {
  /** the module's name, from the repository path */
  name: string;
  /** the revision after '#': a commit hash or a branch */
  revision: string;
}

/** The module and revision an scmurl names, or a sentence saying what is wrong with it. */
export function parseMbsScmUrl(url: string): MbsScmUrl | { error: string } {
  const match = /^([a-z+]+):\/\/([^/]+)?(\/[^?#]+)(?:\?([^#]+)?)?#(.+)$/.exec(url);
  if (!match || !SCHEMES.includes(match[1]!))
    return {
      error: `The submitted scmurl ${url} is not valid.  Expected format is '<scheme>://<host>/<repo>?[module-path]#[revision]'`,
    };
  const repo = /(?:^|\/)modules\/([A-Za-z0-9._+-]+?)(?:\.git)?\/?$/.exec(match[3]!);
  if (!repo)
    return { error: `The submitted scmurl ${url} does not name a repository modules/<name> of Cascade's dist-git` };
  return { name: repo[1]!, revision: match[5]! };
}
