using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cli;

namespace RingRift.P2P.Node.Tests.Demo;

/// <summary>local-cluster's running log: each event once, node up/down on changes, from recorded answers.</summary>
public sealed class ClusterFeedTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T12:44:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Events_are_printed_once_each_in_order()
    {
        var feed = new ClusterFeed(TimeZoneInfo.Utc);
        var answer = Recorded.Load("events.json");

        var lines = feed.Events(answer);

        Assert.Equal("12:42:20  leader     node-3 elected", lines[0]);
        Assert.Equal("12:42:25  training   hex8_2p: train-hex8_2p-1 queued (400 new games)", lines[1]);
        Assert.Equal("12:42:27  trained    hex8_2p: train-hex8_2p-1.json on node-3, 400 games, 0.8 s", lines[2]);
        Assert.Equal("12:42:29  promoted   hex8_2p: train-hex8_2p-1.json, Elo 1327.2 (first)", lines[3]);
        Assert.Equal(11, lines.Count); // 12 events; node_offline without requeued work is left to the /status lines
        Assert.DoesNotContain(lines, l => l.Contains("silent"));
        Assert.All(lines, l => Assert.InRange(l.Length, 1, 80));
        Assert.Empty(feed.Events(answer));
    }

    [Fact]
    public void Only_new_events_are_printed_when_the_window_moves_or_a_new_leader_starts_afresh()
    {
        var feed = new ClusterFeed(TimeZoneInfo.Utc);
        var answer = Recorded.Load("events.json");
        var events = answer["events"]!.AsArray();
        var first = new JsonObject { ["events"] = new JsonArray([.. events.Take(5).Select(e => e!.DeepClone())]) };
        Assert.Equal(5, feed.Events(first).Count);

        Assert.Equal(6, feed.Events(answer).Count); // the other 7, but node_offline (nothing requeued)

        var newLeader = JsonNode.Parse("""
            {"events": [{"event": "leader_changed", "time": "2026-12-06T12:45:01.5+00:00",
              "payload": {"leader_id": "node-1", "previous_leader_id": "node-3"}}]}
            """)!;
        Assert.Equal(["12:45:01  leader     node-1 took over from node-3"], feed.Events(newLeader));
    }

    [Fact]
    public void A_node_offline_event_with_requeued_work_is_printed()
    {
        var feed = new ClusterFeed(TimeZoneInfo.Utc);
        var answer = JsonNode.Parse("""
            {"events": [{"event": "node_offline", "time": "2026-12-06T12:43:51.7+00:00",
              "payload": {"offline_node_id": "node-2", "heartbeat_age_seconds": 15.1, "requeued_work_ids": ["s-1", "s-2"], "failed_work_ids": ["t-1"]}}]}
            """)!;

        Assert.Equal(["12:43:51  requeue    node-2's work: 2 item(s) requeued, 1 failed"], feed.Events(answer));
    }

    [Fact]
    public void Nodes_are_up_when_first_seen_alive_down_when_not_and_back_when_alive_again()
    {
        var feed = new ClusterFeed(TimeZoneInfo.Utc);
        var healthy = Recorded.Load("status-follower.json");
        var down = Recorded.Load("status-node-down.json");

        Assert.Equal(["12:44:00  node up    node-1", "12:44:00  node up    node-2", "12:44:00  node up    node-3"], feed.Nodes(healthy, Now));
        Assert.Empty(feed.Nodes(healthy, Now));
        Assert.Equal(["12:44:05  node down  node-2 (no heartbeat for 25 s)"], feed.Nodes(down, Now.AddSeconds(5)));
        Assert.Empty(feed.Nodes(down, Now.AddSeconds(6)));
        Assert.Equal(["12:44:10  node up    node-2 is back"], feed.Nodes(healthy, Now.AddSeconds(10)));
    }

    [Fact]
    public void A_peer_never_heard_from_is_not_reported_and_another_viewer_reports_the_first_one_down()
    {
        var feed = new ClusterFeed(TimeZoneInfo.Utc);
        var status = JsonNode.Parse("""
            {"node_id": "node-1", "peers": {"node-2": {"alive": false, "heartbeat_age_seconds": null},
                                            "node-3": {"alive": true, "heartbeat_age_seconds": 0.5}}}
            """)!;
        Assert.Equal(["12:44:00  node up    node-1", "12:44:00  node up    node-3"], feed.Nodes(status, Now));

        var fromNode3 = JsonNode.Parse("""
            {"node_id": "node-3", "peers": {"node-1": {"alive": false, "heartbeat_age_seconds": 16.2},
                                            "node-2": {"alive": true, "heartbeat_age_seconds": 0.3}}}
            """)!;
        Assert.Equal(["12:44:20  node down  node-1 (no heartbeat for 16 s)", "12:44:20  node up    node-2"], feed.Nodes(fromNode3, Now.AddSeconds(20)));
    }
}
