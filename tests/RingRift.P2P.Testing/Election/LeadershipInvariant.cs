namespace RingRift.P2P.Testing.Election;

/// <summary>
/// Safety checks over an <see cref="ElectionCluster"/>, meant to run after every delivery, tick and
/// clock step: at most one node has <c>IsLeader</c> true at any instant; an epoch is led by one node
/// only; and the epochs of successive leaders never go back. Throws <see cref="InvalidOperationException"/>
/// describing the violation.
/// </summary>
public sealed class LeadershipInvariant(ElectionCluster cluster)
{
    private readonly Dictionary<long, string> _leaderOfEpoch = [];
    private long _lastEpoch;
    private string? _lastLeader;

    public int Checks { get; private set; }

    /// <summary>Checks in which exactly one node led.</summary>
    public int ChecksWithLeader { get; private set; }

    /// <summary>Every (epoch, leader) seen so far.</summary>
    public IReadOnlyDictionary<long, string> LeaderOfEpoch => _leaderOfEpoch;

    public void Check(string where = "")
    {
        Checks++;
        var leaders = cluster.NodeIds.Where(id => cluster[id].IsLeader).ToArray();
        if (leaders.Length > 1)
        {
            throw new InvalidOperationException(
                $"Two leaders at {cluster.Clock.GetUtcNow():O} {where}: " +
                string.Join(", ", leaders.Select(id => $"{id}@{cluster[id].Snapshot.Epoch} until {cluster[id].Snapshot.LeaseValidUntil:O}")));
        }

        if (leaders.Length == 0)
            return;

        ChecksWithLeader++;
        var leader = leaders[0];
        var epoch = cluster[leader].Snapshot.Epoch;
        if (_leaderOfEpoch.TryGetValue(epoch, out var owner) && owner != leader)
            throw new InvalidOperationException($"Epoch {epoch} was led by {owner} and now by {leader} {where}.");
        if (epoch < _lastEpoch || (epoch == _lastEpoch && leader != _lastLeader))
            throw new InvalidOperationException($"Leader {leader} at epoch {epoch} follows {_lastLeader} at epoch {_lastEpoch} {where}.");
        _leaderOfEpoch[epoch] = leader;
        _lastEpoch = epoch;
        _lastLeader = leader;
    }
}
