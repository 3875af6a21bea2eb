"""teamspace: Kubeflow notebook workspaces for data-science teams, from stack config."""

import pulumi

from components import TeamWorkspace, TeamWorkspaceArgs, build_images
from config import load_stack_config

# 1. Read and validate `teamspace:*` config; a bad config stops here, before any resource.
config = load_stack_config()

# 2. Build and push every notebook image; notebooks run them by digest.
images = build_images(config)
digests = {key: image.repo_digest for key, image in images.items()}

# 3. One workspace per team: namespace quota or Profile, pull secret, volumes, notebooks.
workspaces = {
    team: TeamWorkspace(team, TeamWorkspaceArgs(team, config, digests)) for team in config.teams
}

# 4. What other systems consume (contract: schemas/stack-outputs.schema.json).
pulumi.export("notebookUrls", {
    f"{team}/{name}": url for team, ws in workspaces.items() for name, url in ws.notebook_urls.items()
})
pulumi.export("notebooks", {
    f"{team}/{name}": info for team, ws in workspaces.items() for name, info in ws.notebooks.items()
})
pulumi.export("images", digests)
