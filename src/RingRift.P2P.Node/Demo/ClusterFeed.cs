using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Notifications;
using static RingRift.P2P.Node.Cli.JsonCells;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// local-cluster's running log: one line per notable change, from polls of a node's GET /events (the
/// leader's events, relayed) and GET /status (which nodes it sees alive). Each event is printed once
/// (same time and name: same event); a node is printed up the first time it is seen alive and again
/// after being down, down when it stops being alive.
/// </summary>
public sealed class ClusterFeed(TimeZoneInfo zone)
{
    /// <summary>Event keys remembered for dedupe; the leader keeps its last 100, so this is plenty.</summary>
    private const int Remembered = 1000;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly Dictionary<string, bool> _alive = new(StringComparer.Ordinal);

    /// <summary>
    /// Lines for the events of a GET /events answer not printed before, oldest first. <c>node_offline</c>
    /// is printed only when work was requeued or failed with the node: the node going down itself comes
    /// from <see cref="Nodes"/>, which also sees a leader die (a new leader does not announce it).
    /// </summary>
    public IReadOnlyList<string> Events(JsonNode answer)
    {
        var lines = new List<string>();
        foreach (var ev in answer["events"] as JsonArray ?? [])
        {
            if (ev is null || EventText.Time(ev) is not { } time) continue;
            var name = Str(ev["event"]);
            if (!Remember($"{Str(ev["time"])}|{name}")) continue;
            if (name == ClusterEventNames.NodeOffline)
            {
                if (Requeue(ev) is { } requeue) lines.Add(EventText.Line(time, "requeue", requeue, zone));
                continue;
            }
            lines.Add(EventText.Line(time, EventText.Kind(name), EventText.Summary(ev), zone));
        }
        return lines;
    }

    /// <summary>Lines for nodes whose state changed since the last /status answer (any node's: the one asked may change).</summary>
    public IReadOnlyList<string> Nodes(JsonNode status, DateTimeOffset now)
    {
        var lines = new List<string>();
        if (Str(status["node_id"]) is { } self) Note(self, alive: true, silence: null, now, lines);
        foreach (var (id, peer) in (status["peers"] as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var silence = Double(peer?["heartbeat_age_seconds"]);
            if (silence is null) continue; // never heard from: not a node we know yet
            Note(id, Bool(peer?["alive"]) == true, silence, now, lines);
        }
        return lines;
    }

    private void Note(string nodeId, bool alive, double? silence, DateTimeOffset now, List<string> lines)
    {
        var known = _alive.TryGetValue(nodeId, out var was);
        _alive[nodeId] = alive;
        if (alive && (!known || !was))
            lines.Add(EventText.Line(now, "node up", known ? $"{nodeId} is back" : nodeId, zone));
        else if (!alive && known && was)
            lines.Add(EventText.Line(now, "node down", silence is { } s ? $"{nodeId} (no heartbeat for {CliTime.Duration(s)})" : nodeId, zone));
    }

    private static string? Requeue(JsonNode ev)
    {
        var p = ev["payload"];
        var requeued = (p?["requeued_work_ids"] as JsonArray)?.Count ?? 0;
        var failed = (p?["failed_work_ids"] as JsonArray)?.Count ?? 0;
        return requeued + failed == 0 ? null : $"{Str(p?["offline_node_id"]) ?? "?"}'s work: {requeued} item(s) requeued, {failed} failed";
    }

    /// <summary>True the first time <paramref name="key"/> is seen.</summary>
    private bool Remember(string key)
    {
        if (!_seen.Add(key)) return false;
        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > Remembered) _seen.Remove(_seenOrder.Dequeue());
        return true;
    }
}
