using System.Text.Json.Serialization;
using RingRift.P2P.Models;

namespace RingRift.P2P.Scheduling;

/// <summary>Which rule chose the node of a <see cref="Placement"/>. Append-only numbers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlacementRule>))]
public enum PlacementRule
{
    /// <summary>Training: the eligible node with the highest GPU power (ties: lower load score, then node id).</summary>
    [JsonStringEnumMemberName("highest_gpu_power")] HighestGpuPower = 0,

    /// <summary>Self-play / evaluation: the highest power × (1 − load) × free / total slots.</summary>
    [JsonStringEnumMemberName("power_load_spread")] PowerLoadSpread = 1,

    /// <summary>Sync: the eligible node with the most free CPU slots (ties: lower load score, then node id).</summary>
    [JsonStringEnumMemberName("most_free_cpu_slots")] MostFreeCpuSlots = 2,
}

/// <summary>
/// One planned assignment of a pending item to a node. <paramref name="Score"/> is the winning
/// value of the rule: GPU power for <see cref="PlacementRule.HighestGpuPower"/>, the spread score for
/// <see cref="PlacementRule.PowerLoadSpread"/>, free CPU slots before this placement for
/// <see cref="PlacementRule.MostFreeCpuSlots"/>.
/// </summary>
public sealed record Placement(string WorkId, JobType WorkType, string NodeId, PlacementRule Rule, double Score)
{
    /// <summary>A short human reason, e.g. "training → gpu-a: highest gpu_power 1".</summary>
    public string Reason => Rule switch
    {
        PlacementRule.HighestGpuPower => $"highest gpu_power {Score:0.###}",
        PlacementRule.PowerLoadSpread => $"best power x (1 - load) x free/total = {Score:0.###}",
        _ => $"most free cpu slots ({Score:0})",
    };
}
