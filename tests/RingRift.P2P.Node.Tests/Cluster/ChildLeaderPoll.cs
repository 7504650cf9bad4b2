using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// One poll of every live node process's <c>/status</c>: the leader they all name, if they agree and
/// that leader's own status says its work queue serves; its text is each node's answer (for a wait's
/// failure message).
/// </summary>
public sealed class ChildLeaderPoll
{
    private readonly string _text;

    private ChildLeaderPoll(string? agreedLeader, string text)
    {
        AgreedLeader = agreedLeader;
        _text = text;
    }

    /// <summary>The leader every live node names when it also serves the queue; otherwise null.</summary>
    public string? AgreedLeader { get; }

    public static async Task<ChildLeaderPoll> ReadAsync(IEnumerable<ChildNode> nodes)
    {
        var named = new HashSet<string?>();
        var serving = new HashSet<string>();
        var lines = new List<string>();
        foreach (var node in nodes)
        {
            if (node.HasExited)
            {
                lines.Add($"{node.NodeId}: exited");
                continue;
            }
            try
            {
                var status = (await Http.GetAsync(node.Url + "/", "status")).Json;
                var leader = status?["leader_id"]?.GetValue<string>();
                var role = status?["role"]?.GetValue<string>();
                var queueLeads = status?["work_queue"]?["is_leader"]?.GetValue<bool>() == true;
                named.Add(leader);
                if (queueLeads && leader == node.NodeId) serving.Add(node.NodeId);
                lines.Add($"{node.NodeId}: {role} leader={leader ?? "none"} queue leads={queueLeads}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                named.Add(null);
                lines.Add($"{node.NodeId}: no status ({e.GetType().Name}: {e.Message})");
            }
        }

        var agreed = named.Count == 1 && named.First() is { } id && serving.Contains(id) ? id : null;
        return new ChildLeaderPoll(agreed, string.Join("; ", lines));
    }

    public override string ToString() => _text;
}
