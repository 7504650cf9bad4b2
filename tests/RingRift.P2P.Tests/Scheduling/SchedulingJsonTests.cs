using System.Text.Json;
using RingRift.P2P.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using Xunit;

namespace RingRift.P2P.Tests.Scheduling;

/// <summary>The dispatch snapshot (for /status) and the node_offline payload on the wire: snake_case, enums as words.</summary>
public sealed class SchedulingJsonTests
{
    [Fact]
    public void DispatchRound_SerializesSnakeCase_WithReasonWords_AndWithoutTheCommittedList()
    {
        var round = new DispatchRound
        {
            StartedAt = DateTimeOffset.UnixEpoch,
            Placed = 3,
            LostRaces = 1,
            Unplaced = [new UnplacedGroup(JobType.Training, UnplacedReason.NoFreeSlot, 2, ["t1", "t2"])],
            Committed = [new Placement("w", JobType.Selfplay, "n", PlacementRule.PowerLoadSpread, 0.5)],
        };

        var json = JsonSerializer.Serialize(round, P2PJson.Options);

        Assert.Contains("\"lost_races\":1", json);
        Assert.Contains("\"unplaced\":[{\"work_type\":\"training\",\"reason\":\"no_free_slot\",\"count\":2,\"sample_work_ids\":[\"t1\",\"t2\"]}]", json);
        Assert.DoesNotContain("committed", json);
    }

    [Fact]
    public void NodeDeclaredDead_SerializesTheCauseAsAWord()
    {
        var json = JsonSerializer.Serialize(
            new NodeDeclaredDead("gpu-7", DeadNodeCause.NotSeenAfterGrace, DateTimeOffset.UnixEpoch, ["a"], []), P2PJson.Options);

        Assert.Contains("\"node_id\":\"gpu-7\"", json);
        Assert.Contains("\"cause\":\"not_seen_after_grace\"", json);
        Assert.Contains("\"requeued_work_ids\":[\"a\"]", json);
    }

    [Fact]
    public void Placement_SerializesTheRuleAsAWord() =>
        Assert.Contains("\"rule\":\"highest_gpu_power\"",
            JsonSerializer.Serialize(new Placement("t", JobType.Training, "n", PlacementRule.HighestGpuPower, 1.2), P2PJson.Options));
}
