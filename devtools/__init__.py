"""Running the program without a Pulumi engine or cluster: mocks, the offline plan, plan diffs."""
