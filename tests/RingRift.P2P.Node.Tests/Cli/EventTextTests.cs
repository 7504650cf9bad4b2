using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>One short line per cluster event, never wider than 80 columns.</summary>
public sealed class EventTextTests
{
    private static JsonNode Event(string name, string payload) =>
        JsonNode.Parse($$"""{"event": "{{name}}", "time": "2026-12-06T12:42:20.7309868+00:00", "payload": {{payload}}}""")!;

    [Theory]
    [InlineData("leader_changed", """{"leader_id": "node-2", "previous_leader_id": "node-3"}""", "node-2 took over from node-3")]
    [InlineData("leader_changed", """{"leader_id": "node-3", "previous_leader_id": null}""", "node-3 elected")]
    [InlineData("node_offline", """{"offline_node_id": "node-2", "heartbeat_age_seconds": 15.1, "requeued_work_ids": ["a", "b"], "failed_work_ids": []}""",
        "node-2, silent 15 s; 2 requeued, 0 failed")]
    [InlineData("model_promoted", """{"config": "hex8_2p", "model_path": "models/hex8_2p/m-1.json", "elo": 1327.2, "previous_elo": null}""",
        "hex8_2p: m-1.json, Elo 1327.2 (first)")]
    [InlineData("model_promoted", """{"config": "hex8_2p", "model_path": "m-2.json", "elo": 1300, "previous_elo": 1327.2}""", "hex8_2p: m-2.json, Elo 1300.0 (-27.2)")]
    [InlineData("work_failed", """{"work_id": "s-1", "work_type": "selfplay", "attempts": 3, "error": "exit code 1"}""", "s-1 (selfplay), 3 attempt(s): exit code 1")]
    [InlineData("something_new", """{"event": "something_new", "node_id": "n", "time": "t", "x": 1}""", """something_new {"x":1}""")]
    public void Summary_says_what_happened(string name, string payload, string expected) => Assert.Equal(expected, EventText.Summary(Event(name, payload)));

    [Fact]
    public void A_line_is_time_kind_and_text_cut_at_80_columns()
    {
        var time = DateTimeOffset.Parse("2026-12-06T12:42:20Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("12:42:20  promoted   hex8_2p: m.json", EventText.Line(time, "promoted", "hex8_2p: m.json", TimeZoneInfo.Utc));
        var longLine = EventText.Line(time, "failed", "s-1 (selfplay), 3 attempt(s): " + new string('x', 200), TimeZoneInfo.Utc);
        Assert.Equal(EventText.MaxLine, longLine.Length);
        Assert.EndsWith("x…", longLine);
    }

    [Fact]
    public void Every_known_kind_fits_the_label_column() =>
        Assert.All(RingRift.P2P.Notifications.ClusterEventNames.All, name => Assert.InRange(EventText.Kind(name).Length, 1, 9));
}
