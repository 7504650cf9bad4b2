using System.Text.Json.Serialization;

namespace RingRift.P2P.Node.Consensus;

/// <summary>Which stack serves leadership and the work queue right now.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsensusPath>))]
public enum ConsensusPath
{
    /// <summary>Bully election with voter leases; the quorum-replicated SQLite queue.</summary>
    [JsonStringEnumMemberName("bully")] Bully,
    /// <summary>The Raft leader leads; the Raft-replicated queue (non-members forward to a member).</summary>
    [JsonStringEnumMemberName("raft")] Raft,
}
