"""The floor as a Pulumi program file: `floor_program.floor(steps)` runs this file through
`runpy`, as the real program's `__main__.py` is run, with the plan in `init_globals`.

Why a file and not a plain function: the SDK records every stack frame below each resource's
constructor (its stack trace for the engine), so the floor must register from the same depth
as the program or it would look cheaper by the harness's own frames.
"""

replay(STEPS, REGISTER_OUTPUTS)  # noqa: F821 - given by floor_program.floor through init_globals
