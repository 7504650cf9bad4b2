using System.Text.Json.Serialization;
using RingRift.P2P.Models;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// Why a pending item was not placed this round, checked in this order for its work type:
/// no alive node lists the type; none of those is healthy; none of the healthy ones takes new
/// jobs (overloaded, or load score ≥ LoadMaxForNewJobs); the eligible ones have no free slot of
/// the kind the item needs (full before the round or filled by it). Append-only numbers.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnplacedReason>))]
public enum UnplacedReason
{
    [JsonStringEnumMemberName("no_capable_node")] NoCapableNode = 0,
    [JsonStringEnumMemberName("no_healthy_node")] NoHealthyNode = 1,
    [JsonStringEnumMemberName("all_overloaded")] AllOverloaded = 2,
    [JsonStringEnumMemberName("no_free_slot")] NoFreeSlot = 3,
}

/// <summary>
/// Items of one work type left unplaced for one reason: how many, and the ids of the first few
/// (at most <see cref="SampleSize"/>, in priority order).
/// </summary>
public sealed record UnplacedGroup(JobType WorkType, UnplacedReason Reason, int Count, IReadOnlyList<string> SampleWorkIds)
{
    /// <summary>How many work ids a group keeps as examples: 5.</summary>
    public const int SampleSize = 5;
}
