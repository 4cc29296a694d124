"""``policykg instruments``: policy-instrument coding matrices (only click imported at module level)."""
from __future__ import annotations

import click

from policykg.graph.cli_common import open_store_or_fail, store_option


@click.command("instruments")
@click.option("--by", "by", type=click.Choice(["document", "agency", "zone", "year"]), default="document",
              show_default=True,
              help="Columns: documents (source files), lead agencies (the measure's lead, or the lead of the "
                   "enclosing task), pilot zones, or the year a document was issued.")
@click.option("--level", type=click.Choice(["type", "dimension"]), default="type", show_default=True,
              help="Rows: the 16 instrument types (environment/finance …) or the three dimensions "
                   "(supply, environment, demand).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="A plain-text table, CSV (for Excel, R, Stata) or JSON.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Count only codings at least this confident (each coding's confidence comes from its cue words).")
@click.option("--follow-successions", is_flag=True,
              help="With --by agency: count a predecessor's measures for its successor "
                   "(重庆市科学技术委员会 → 重庆市科学技术局; see ontology/successions.tsv).")
@click.option("--collectives", is_flag=True, help="With --by agency: also count collective leads (各区县知识产权局 …).")
@click.option("--transpose", is_flag=True, help="Put the instrument types in columns instead of rows.")
@click.option("--scheme", "show_scheme", is_flag=True,
              help="Print the instrument types (codes, Chinese and English labels, definitions) and exit.")
@store_option
def instruments(by, level, fmt, min_confidence, follow_successions, collectives, transpose, show_scheme, store_dir):
    """Coding matrices of policy instruments (Rothwell & Zegveld): how many measures of each
    document, lead agency, pilot zone or year use each type of instrument.

    Every measure (a task, a table row, or a numbered item) is coded by the cue words of its
    sentences — supply side (人才, 信息服务, 基础设施, 资金投入, 技术支持), environment side
    (目标规划, 法规管制, 金融支持, 税收优惠, 知识产权保护, 策略性措施) and demand side (政府采购,
    服务外包, 贸易管制, 示范工程, 海外机构). A measure may have several types; a measure with
    no clear cue stays unclassified and is not counted. The cue words of every coding are in
    the graph as quoted text spans (pk:qualifiedInstrument → pk:cue), so each count can be
    checked against the text: `policykg query -e '…'`.
    """
    import json

    if show_scheme:
        from policykg.builders.extract.instruments import TYPES, scheme

        sch = scheme()
        rows = [sch[d] for d in ("supply", "environment", "demand")] + [sch[t] for t in TYPES]
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        import pandas as pd

        df = pd.DataFrame([{"code": r.get("notation", r["id"]), "zh": r.get("zh", ""), "en": r.get("en", ""),
                            "definition": r.get("definition_en", "")} for r in rows])
        click.echo(df.to_csv(index=False).rstrip("\n") if fmt == "csv" else df.to_string(index=False))
        return

    from policykg.graph.instruments import coding_matrix

    store = open_store_or_fail(store_dir)
    try:
        matrix = coding_matrix(store, by, level=level, min_confidence=min_confidence,
                               follow_successions=follow_successions, collectives=collectives)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if matrix.shape[1] == 0:
        raise click.ClickException(
            "no coded measures to count: the graph holds no instrument codings"
            + (" with a lead agency" if by == "agency" else " concerning a pilot zone" if by == "zone" else "")
            + (f" at confidence ≥ {min_confidence}" if min_confidence else "")
            + " (builds made before instrument coding have none: rebuild with `policykg build`)")
    coded = matrix.attrs["coded_measures"]
    if fmt == "json":
        from policykg.builders.extract.instruments import scheme

        sch = scheme()
        labels = {}
        for code in matrix.index:
            d = sch.get(code.split("/")[-1], {})
            labels[code] = {"zh": d.get("zh", ""), "en": d.get("en", "")}
        out = {"by": by, "level": level, "min_confidence": min_confidence,
               "follow_successions": bool(follow_successions), "instruments": list(matrix.index),
               "instrument_labels": labels, "columns": list(matrix.columns),
               "column_ids": matrix.attrs["column_ids"], "counts": matrix.values.tolist(),
               "coded_measures": coded}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = matrix.copy()
    table.loc["(coded measures)"] = [coded[c] for c in table.columns]
    if fmt == "table":
        from policykg.builders.extract.instruments import scheme

        sch = scheme()
        table.index = [f"{c} {sch[c.split('/')[-1]].get('zh', '')}" if c.split("/")[-1] in sch else c
                       for c in table.index]
    if transpose:
        table = table.T
    if fmt == "csv":
        click.echo(table.to_csv().rstrip("\n"))
    else:
        click.echo(table.to_string())
        click.echo(f"\ncells: measures coded with the instrument type; by {by}"
                   + (", successions followed" if matrix.attrs.get("follow_successions") else "")
                   + (f"; confidence ≥ {min_confidence}" if min_confidence else ""))


COMMANDS = [instruments]
