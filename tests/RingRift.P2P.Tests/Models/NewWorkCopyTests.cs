using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Models;

public sealed class NewWorkCopyTests
{
    private static readonly WorkItem Item = new()
    {
        WorkId = "w1",
        WorkType = JobType.Training,
        Priority = 80,
        Config = new JsonObject { ["board_type"] = "hex8" },
        MaxAttempts = 5,
        TimeoutSeconds = 120,
        Status = WorkStatus.Claimed,
        ClaimedBy = "gpu-1",
        Attempts = 2,
    };

    [Fact]
    public void CopyOf_KeepsWhatAnAddTakes_UnderItsOwnIdOrAnother()
    {
        foreach (var (copy, id) in new[] { (NewWork.CopyOf(Item), "w1"), (NewWork.CopyOf(Item, "w1~raft"), "w1~raft") })
        {
            Assert.Equal(id, copy.WorkId);
            Assert.Equal(JobType.Training, copy.WorkType);
            Assert.Equal(80, copy.Priority);
            Assert.Equal(5, copy.MaxAttempts);
            Assert.Equal(120, copy.TimeoutSeconds);
            Assert.Equal("hex8", copy.Config!["board_type"]!.GetValue<string>());
            Assert.NotSame(Item.Config, copy.Config);
        }
    }
}
