using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using Spectre.Console.Testing;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary><c>ringrift-p2p status</c> shows pending work the leader could not place, and why.</summary>
public sealed class StatusRenderTests
{
    [Fact]
    public void Work_of_a_type_no_node_runs_is_listed_with_its_reason()
    {
        var status = JsonNode.Parse("""
            {"node_id": "n1", "role": "leader", "leader_id": "n1", "epoch": 3, "alive_peers": 2,
             "work_queue": {"pending": 2, "claimed": 0, "running": 0, "completed": 0, "failed": 0, "total": 2},
             "self": {"node_id": "n1", "role": "leader", "resources": {}},
             "jobs": {"last_dispatch": {"unplaced": [
               {"work_type": "gauntlet", "reason": "no_capable_node", "count": 2, "sample_work_ids": ["g-1", "g-2"]}]}}}
            """)!;
        var console = new TestConsole().Width(200);

        StatusCommand.Render(status, console);

        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("pending work not placed"));
        Assert.Contains(lines, l => l.Contains("gauntlet") && l.Contains("no_capable_node") && l.Contains("2") && l.Contains("g-1, g-2"));
    }
}
