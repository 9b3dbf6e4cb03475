"""The ``hematwin`` command line: one Typer app; each command is a thin shell over the API.

Layout: shared pieces first (console, option parsers, error handling, progress bar), then one
section per command. To add a command, append a function decorated with ``@app.command()``
that parses its options, calls the library and prints what it returns; computations belong
in the library, not here. Exit codes: 0 done, 1 the library refused the input or failed
(the message names the field), 2 a command-line usage error (the message names the option).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from hematwin.errors import HematwinError, UnitError

app = typer.Typer(
    name="hematwin",
    help="hematwin: a digital twin of blood formation (simulate, grade, forecast).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()


# --- shared pieces ----------------------------------------------------------------------


def quantity(unit: str) -> Callable[[str], float]:
    """An option parser: text with a unit (``180mg``, ``3w``) → float in ``unit``."""
    from hematwin.quantities import parse_quantity

    def parse(text: str) -> float:
        try:
            return parse_quantity(text, unit)
        except UnitError as exc:
            raise typer.BadParameter(exc.message) from None

    return parse


@contextmanager
def library_errors() -> Iterator[None]:
    """Print a hematwin error (which names the field at fault) and exit with code 1."""
    try:
        yield
    except HematwinError as exc:
        console.print(f"[bold red]Error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar fed by a ``progress(done, total)`` callback; gone when finished."""
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
    task = bar.add_task(description, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


# --- hematwin models ----------------------------------------------------------------------


@app.command()
def models() -> None:
    """List the published models in the library and how each fares against its paper."""
    from hematwin import library
    from hematwin.library.validation import record_path, status

    table = Table(title="Library models")
    table.add_column("Name", style="bold")
    table.add_column("Description")
    table.add_column("Citation")
    table.add_column("Validation status")
    for name, module in {**library.MODELS, **library.STOCHASTIC_MODELS}.items():
        table.add_row(name, library.description(module), module.CITATION, status(name))
    console.print(table)
    console.print(f"Status: outcomes of the validation tests recorded in {record_path()} "
                  "(pytest validation/); 'not run since last change' lists the declared "
                  "tests instead.", highlight=False)


# --- hematwin simulate --------------------------------------------------------------------


@app.command()
def simulate(
    model: Annotated[str, typer.Argument(help="Library model (see `hematwin models`).")],
    dose: Annotated[float | None, typer.Option(
        parser=quantity("mg"), metavar="AMOUNT",
        help="Dose per cycle with a unit: 180mg, 0.18g. Without it, the model's default run "
             "(its published regimen) is simulated and plotted.")] = None,
    drug: Annotated[str, typer.Option(help="Drug parameter set of the model.")] = "docetaxel",
    cycles: Annotated[int, typer.Option(min=1, help="Number of cycles.")] = 1,
    every: Annotated[float, typer.Option(parser=quantity("day"), metavar="DURATION",
                                         help="Time between doses: 21d, 3w, 504h.")] = "21d",
    patients: Annotated[int, typer.Option(min=1, help="Virtual patients.")] = 1,
    iiv: Annotated[bool, typer.Option(help="Draw each patient's parameters from the "
                                           "model's inter-individual variability.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed of the IIV draws.")] = 1,
    days: Annotated[float | None, typer.Option(min=0, help="Days simulated "
                                               "(default: cycles × every).")] = None,
    save_every: Annotated[float, typer.Option(parser=quantity("day"), metavar="DURATION",
                                              help="Time step of the saved counts and the "
                                                   "plot: 6h, 1d.")] = "6h",
    threshold: Annotated[list[float] | None, typer.Option(
        help="Count cut-off for 'days below' (repeat for several; default 0.5 and 1).")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the Parquet and PNG files.")]
    = Path("out"),
    backend: Annotated[str, typer.Option(help="Solver backend: numba, jax or scipy.")]
    = "numba",
    chunk_size: Annotated[int, typer.Option(min=1, help="Patients integrated per chunk.")]
    = 10_000,
    max_steps: Annotated[int, typer.Option(min=1, help="Solver steps allowed per patient; "
                                                       "beyond, the patient is flagged.")]
    = 100_000,
) -> None:
    """Simulate a library model: a virtual cohort on chemotherapy cycles (with --dose), or
    the model's default run (without)."""
    if dose is None:
        _default_run(model, out, backend)
        return
    from hematwin.report.cohort import simulate_cycles_cohort
    from hematwin.report.tables import failure_table, summary_table

    with library_errors(), progress_bar(f"Simulating {patients} patients") as progress:
        report = simulate_cycles_cohort(
            model, drug=drug, dose_mg=dose, cycles=cycles, every_days=every,
            patients=patients, iiv=iiv, seed=seed, days=days, save_every_days=save_every,
            thresholds=threshold or None, out_dir=out, backend=backend,
            chunk_size=chunk_size, max_steps=max_steps, progress=progress,
        )
    title = (f"{model} · {drug} {dose:g} mg × {cycles} every {every:g} d · "
             f"{report.count.upper()}")
    console.print(summary_table(report.summary, unit=report.count_unit, title=title))
    if report.n_failed:
        console.print(f"[yellow]{report.n_failed} of {report.n_patients} patients failed "
                      "and are left out of the summary:[/]")
        console.print(failure_table(report.failures))
    else:
        console.print(f"All {report.n_patients} patients solved.")
    for kind, path in report.files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)


def _default_run(model: str, out: Path, backend: str) -> None:
    from rich.table import Table

    from hematwin.report.model_run import run_library_model

    with library_errors(), console.status(f"Simulating {model}"):
        run = run_library_model(model, out_dir=out, backend=backend)
    table = Table(title=f"{model} · {run.note}")
    for col in ("variable", "unit", "start", "min", "max", "end"):
        table.add_column(col, justify="left" if col in ("variable", "unit") else "right")
    for row in run.summary.itertuples(index=False):
        table.add_row(row.variable, row.unit,
                      *(f"{getattr(row, c):.4g}" for c in ("start", "min", "max", "end")))
    console.print(table)
    console.print(f"solver: {run.status}")
    for kind, path in run.files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)


# --- hematwin assess ----------------------------------------------------------------------


@app.command()
def assess(
    record: Annotated[Path, typer.Argument(help="Patient record: tidy CSV, NONMEM, FHIR JSON, "
                                                "SDTM LB or a CML 'Days, Prct, Pt' file.")],
    format: Annotated[str, typer.Option(
        "--format", help="csv, nonmem, fhir, sdtm, michor or auto (by extension and "
                         "columns).")] = "auto",
    threshold: Annotated[list[float] | None, typer.Option(
        help="Count cut-off for 'days below' (repeat for several; default 0.5 and 1).")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the HTML report and tables.")]
    = Path("out"),
    lenient: Annotated[bool, typer.Option(help="Keep going past bad rows; write them with "
                                               "their reasons to OUT/rejected.csv.")] = False,
    ctcae: Annotated[str, typer.Option(help="CTCAE version: 5.0 or 6.0.")] = "5.0",
    dv_map: Annotated[str | None, typer.Option(help="NONMEM only: DVID (or CMT) to analyte, "
                                                    "e.g. '1=anc,2=platelets'.")] = None,
) -> None:
    """Grade a patient record by the clinical standards and write an HTML report."""
    from hematwin.data.detect import FORMATS, parse_dv_map
    from hematwin.report.assess_report import (
        assess_record,
        cml_table,
        counts_table,
        headline_table,
        summary_table,
    )

    if format not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    if ctcae not in ("5.0", "6.0", "5", "6"):
        raise typer.BadParameter("expected 5.0 or 6.0", param_hint="--ctcae")
    with library_errors(), progress_bar("Assessing patients") as progress:
        run = assess_record(record, out_dir=out, format=format, lenient=lenient,
                            ctcae_version=ctcae, progress=progress,
                            dv_map=parse_dv_map(dv_map) if dv_map else None)
    read = run.read_report
    console.print(f"{record} ({run.format}): rows read {read.rows_read} = accepted "
                  f"{read.rows_accepted} + rejected {read.rows_rejected}; "
                  f"{len(run.assessments)} patient(s)", highlight=False)
    if len(run.assessments) <= 5:
        for a in run.assessments:
            console.print(headline_table(a))
    elif run.cml_milestones.empty:
        console.print(summary_table(run.summary.dropna(axis=1, how="all"), title="Patients"))
    if not run.cml_milestones.empty:
        console.print(cml_table(run.cml_milestones))
        console.print(counts_table(run.cml_counts))
    for kind, path in run.files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)


# --- hematwin sbml import / export --------------------------------------------------------

sbml_app = typer.Typer(help="Read and write models as SBML.", no_args_is_help=True)
app.add_typer(sbml_app, name="sbml")


@sbml_app.command("import")
def sbml_import(
    file: Annotated[Path, typer.Argument(help="SBML file (Level 2 or 3).")],
    out: Annotated[Path | None, typer.Option(help="Write the model as a hematwin YAML "
                                                  "file.")] = None,
) -> None:
    """Import an SBML model and summarise what it became."""
    from hematwin.model.sbml_import import from_sbml
    from hematwin.model.yaml_writer import to_yaml

    with library_errors():
        imported = from_sbml(file)
    info = imported.summary()
    table = Table(title=f"{file.name} → {info['model']}", show_header=False)
    table.add_row("States", ", ".join(info["states"]))
    table.add_row("Parameters", str(info["parameters"]))
    table.add_row("Definitions", str(info["definitions"]))
    table.add_row("Outputs", ", ".join(info["outputs"]) or "-")
    table.add_row("Reactions converted", ", ".join(info["reactions"]) or "-")
    table.add_row("Regimen items (events)", str(info["events"]))
    table.add_row("Renamed ids", ", ".join(f"{a} → {b}" for a, b in info["renamed"].items())
                  or "-")
    console.print(table)
    for note in info["notes"]:
        console.print(f"note: {note}", highlight=False)
    if out is not None:
        out.write_text(to_yaml(imported.spec), encoding="utf-8")
        console.print(f"wrote model: {out}", highlight=False)


@sbml_app.command("export")
def sbml_export(
    model: Annotated[str, typer.Argument(help="Library model name or YAML model file.")],
    out: Annotated[Path | None, typer.Option(help="SBML file to write (default: print).")]
    = None,
    regimen: Annotated[bool, typer.Option(help="Include the library model's default "
                                               "regimen as events.")] = True,
) -> None:
    """Export a model as SBML Level 3 Version 2."""
    from hematwin.library.resolve import spec_and_regimen
    from hematwin.model.sbml_export import to_sbml

    with library_errors():
        spec, default = spec_and_regimen(model)
        text = to_sbml(spec, regimen=default if regimen else None)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote SBML: {out}", highlight=False)


# --- hematwin run / compare (scenarios) ---------------------------------------------------


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML): patient, treatment "
                                                  "plan, horizon; see examples/scenarios/.")],
    out: Annotated[Path, typer.Option(help="Folder for the report and the endpoint table.")]
    = Path("out"),
    format: Annotated[str, typer.Option("--format", help="html (report) or json.")] = "html",
) -> None:
    """Simulate a scenario with the twin and write its clinical report."""
    from hematwin.report.scenario_report import run_scenario_file, summary_rows

    if format not in ("html", "json"):
        raise typer.BadParameter("expected html or json", param_hint="--format")
    with library_errors(), progress_bar(f"Simulating {scenario.name}") as progress:
        result = run_scenario_file(scenario, out_dir=out, format=format, progress=progress)
    table = Table(title=f"{result.results[0].scenario.name} · endpoints", show_header=False,
                  title_justify="left")
    for name, text in summary_rows(result.results[0]):
        table.add_row(name, text)
    console.print(table)
    for note in result.results[0].notes:
        console.print(f"note: {note}", highlight=False)
    for kind, path in result.files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files (the "
                                                         "same patient under several plans).")],
    out: Annotated[Path, typer.Option(help="Folder for the comparison report.")] = Path("out"),
) -> None:
    """Run several scenarios and compare their counts and endpoints side by side."""
    from hematwin.report.scenario_report import compare_scenario_files, compare_table

    if len(scenarios) < 2:
        raise typer.BadParameter("give at least two scenario files", param_hint="SCENARIOS")
    with library_errors(), progress_bar("Simulating scenarios") as progress:
        result = compare_scenario_files(scenarios, out_dir=out, progress=progress)
    frame = compare_table(result.results)
    table = Table(title="endpoints (median for virtual cohorts)", title_justify="left")
    for col in frame.columns:
        table.add_column(str(col))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.4g}" if isinstance(v, float) else ("" if v is None else str(v))
                        for v in row])
    console.print(table)
    for kind, path in result.files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)


# --- hematwin sensitivity -----------------------------------------------------------------


@app.command()
def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    endpoint: Annotated[str, typer.Option(help="Endpoint (a column of the scenario's endpoint "
                                               "table, e.g. neutrophil_engraftment_day).")],
    method: Annotated[str, typer.Option(help="local (normalised derivatives), morris or "
                                             "sobol (SALib).")] = "local",
    params: Annotated[str | None, typer.Option(help="Twin parameters, comma-separated "
                                                    "(default: the scenario's own and the "
                                                    "calibrated ones).")] = None,
    n: Annotated[int | None, typer.Option(min=2, help="Morris trajectories (default 10) or "
                                                      "Sobol base sample (default 64).")]
    = None,
    step: Annotated[float, typer.Option(help="local: relative finite-difference step.")]
    = 0.1,
    spread: Annotated[float, typer.Option(help="morris/sobol: each parameter varies over "
                                               "value × (1 ± spread).")] = 0.3,
    seed: Annotated[int, typer.Option(help="Seed of the global sample.")] = 1,
    top: Annotated[int, typer.Option(min=1, help="Parameters shown in the table and "
                                                 "plot.")] = 20,
    out: Annotated[Path, typer.Option(help="Folder for the CSV table and the plot.")]
    = Path("out"),
) -> None:
    """Rank the twin parameters by their effect on one endpoint of a scenario."""
    from hematwin.scenario import load_scenario
    from hematwin.scenario.sensitivity import METHODS, write_sensitivity
    from hematwin.scenario.sensitivity import sensitivity as run_sensitivity

    if method not in METHODS:
        raise typer.BadParameter(f"expected one of {', '.join(METHODS)}", param_hint="--method")
    names = [p.strip() for p in params.split(",") if p.strip()] if params else None
    with library_errors():
        sc = load_scenario(scenario)
        with progress_bar(f"Simulating {scenario.name} ({method})") as progress:
            result = run_sensitivity(sc, endpoint, method=method, parameters=names, n=n,
                                     step=step, spread=spread, seed=seed, progress=progress)
        files = write_sensitivity(result, out, top=top)
    cols = {"local": ["value", "endpoint_low", "endpoint_high", "elasticity"],
            "morris": ["value", "low", "high", "mu_star", "mu_star_conf", "sigma"],
            "sobol": ["value", "low", "high", "S1", "S1_conf", "ST", "ST_conf"]}[method]
    unit = f" ({result.unit})" if result.unit else ""
    table = Table(title=f"{result.scenario} · {method} sensitivity of {endpoint}{unit} · "
                        f"{len(result.samples)} simulations", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("parameter", style="bold")
    for col in cols:
        table.add_column(col, justify="right")
    for row in result.table.head(top).itertuples(index=False):
        table.add_row(str(row.rank), row.parameter,
                      *(f"{getattr(row, c):.4g}" for c in cols))
    console.print(table)
    console.print(f"typical value of {endpoint}: {result.baseline:.4g}{unit}", highlight=False)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False)
    for kind, path in files.items():
        console.print(f"wrote {kind}: {path}", highlight=False)
