"""teamspace: Kubeflow notebook workspaces for data-science teams, from stack config."""

import pulumi

from components import TeamWorkspace, build_images, workspace_args
from components.spawner_images import spawner_images
from config import load_stack_config

# 1. Read and validate `teamspace:*` config and resolve each notebook once; a bad config
#    stops here, before any resource.
stack = load_stack_config()

# 2. Build and push every notebook image; notebooks run them by digest.
images = build_images(stack)
digests = {key: image.repo_digest for key, image in images.items()}

# 3. One workspace per team: namespace quota or Profile, pull secret, volumes, notebooks.
workspaces = {}
for team in stack.config.teams:
    workspaces[team] = TeamWorkspace(team, workspace_args(stack, team, digests))

# 4. What other systems consume (contract: schemas/stack-outputs.schema.json).
pulumi.export(
    "notebookUrls",
    {f"{team}/{name}": url for team, ws in workspaces.items() for name, url in ws.notebook_urls.items()},
)
pulumi.export(
    "notebooks",
    {f"{team}/{name}": info for team, ws in workspaces.items() for name, info in ws.notebooks.items()},
)
pulumi.export("images", digests)
# The same digests grouped per server type, for the web app's spawner config (docs/kubeflow.md).
pulumi.export("spawnerImages", spawner_images(stack.config, digests))
