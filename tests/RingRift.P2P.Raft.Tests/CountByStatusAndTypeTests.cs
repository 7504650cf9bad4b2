using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>The state machine's count of items per status and type (what the leader's work_items metric exports).</summary>
public sealed class CountByStatusAndTypeTests
{
    [Fact]
    public void Counts_every_item_once_under_its_status_and_type()
    {
        var d = new MachineDriver();
        d.Add("s1");
        d.Add("s2");
        d.Add("g1", JobType.Parse("gauntlet"));
        d.Add("t1", JobType.Training);
        Assert.True(d.Claim("s2", "n1").IsOk);

        var counts = d.Machine.CountByStatusAndType().OrderBy(c => c.WorkType).ThenBy(c => c.Status).ToList();

        Assert.Equal(
            [new WorkCount(WorkStatus.Pending, JobType.Selfplay, 1), new WorkCount(WorkStatus.Claimed, JobType.Selfplay, 1),
             new WorkCount(WorkStatus.Pending, JobType.Training, 1), new WorkCount(WorkStatus.Pending, JobType.Parse("gauntlet"), 1)],
            counts);
    }
}
