using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// What the running nodes of an <see cref="InProcessCluster"/> believe about leadership at one instant,
/// each node read once; its text names every node's belief (for a wait's failure message).
/// </summary>
public sealed class LeadershipView
{
    private readonly string _text;

    private LeadershipView(ClusterNode? serving, string text)
    {
        Serving = serving;
        _text = text;
    }

    /// <summary>
    /// The one node that leads with a valid lease and serves the queue for that epoch, when every node
    /// read names it as leader; otherwise null.
    /// </summary>
    public ClusterNode? Serving { get; }

    /// <summary>Reads every running node except <paramref name="excluding"/>.</summary>
    public static LeadershipView Read(IEnumerable<ClusterNode> nodes, ClusterNode? excluding = null)
    {
        var beliefs = new List<(ClusterNode Node, string? LeaderId, bool Serves)>();
        var lines = new List<string>();
        foreach (var node in nodes)
        {
            if (!node.Running || node == excluding)
            {
                lines.Add($"{node.Id}: {(node.Running ? "not read" : "stopped")}");
                continue;
            }
            var snapshot = node.Election.Snapshot;
            var queueEpoch = node.Queue.ActiveEpoch;
            var serves = snapshot.Role == NodeRole.Leader && queueEpoch == snapshot.Epoch;
            beliefs.Add((node, snapshot.LeaderId, serves));
            lines.Add($"{node.Id}: {snapshot.Role} leader={snapshot.LeaderId ?? "none"} epoch={snapshot.Epoch} queue epoch={queueEpoch}");
        }

        var serving = beliefs.Where(b => b.Serves).Select(b => b.Node).ToArray();
        var agreed = serving.Length == 1 && beliefs.All(b => b.LeaderId == serving[0].Id) ? serving[0] : null;
        return new LeadershipView(agreed, string.Join("; ", lines));
    }

    public override string ToString() => _text;
}
