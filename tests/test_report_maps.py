"""Explorer maps in results.json and the report: drawn as SVG, escaped, with replayable paths."""

from pathlib import Path

from simsuite.explore import ExploreMap, Finding, MapEdge, MapNode
from simsuite.report import render_html
from simsuite.report.maps import map_svg, path_text
from simsuite.results import ResultsWriter, load_results


def hostile_map() -> ExploreMap:
    return ExploreMap(
        kind="ivr", target="/ivr", mode="as-is",
        nodes=[MapNode("a", "<script>alert(1)</script> For billing, press 1.", depth=0),
               MapNode("b", "Visit our website", depth=1, end="dead_end", path=["1"])],
        edges=[MapEdge("a", "b", "1"), MapEdge("a", "a", "9", announced=False)],
        findings=[Finding("unavailable_demand", "website for a phone-only caller", "Visit our <b>website</b>",
                          ["1"], "b", 77.0)])


def test_maps_are_kept_in_results_and_drawn_escaped(tmp_path: Path):
    writer = ResultsWriter(tmp_path, {})
    writer.add_map(hostile_map())
    assert load_results(tmp_path / "results.json")["maps"][0]["findings"][0]["path"] == ["1"]
    html = render_html(writer.close(), tmp_path).read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Visit our &lt;b&gt;website&lt;/b&gt;" in html
    assert html.count("<svg") == 1 and "dead end" in html


def test_svg_marks_ends_hidden_options_and_findings():
    svg = str(map_svg(hostile_map().to_dict()))
    assert 'stroke-dasharray="5,4"' in svg  # the unannounced 9
    assert "#fde2e1" in svg  # the dead end's colour
    assert '<circle' in svg  # a finding at state b
    assert path_text(["3", "2", "(no input)"]) == "3 → 2 → (no input)" and path_text([]) == "(start)"
