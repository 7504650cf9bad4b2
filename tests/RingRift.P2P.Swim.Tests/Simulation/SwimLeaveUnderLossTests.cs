using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>
/// Graceful leave on lossy links (simulator, seeded): the leaver hands its Leave to a few peers over the
/// stream channel and they gossip it on, so every other member records it as Left and none as dead,
/// whatever the datagram loss.
/// </summary>
public sealed class SwimLeaveUnderLossTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.30)]
    [InlineData(0.60)]
    public void A_leaving_node_is_seen_as_left_by_everyone_and_never_as_dead(double loss)
    {
        var link = new LinkProfile { Loss = loss, Latency = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.FromMilliseconds(2) };
        for (int seed = 1; seed <= 10; seed++)
        {
            var cluster = new SwimSimCluster(8, seed, link: link);
            cluster.StartAll();
            // Under heavy loss a join's Alive can miss some members; the 30 s push-pull then brings it.
            if (cluster.RunUntil(() => cluster.Nodes.All(n => n.GetMember(SwimSimCluster.NodeId(3))?.State == SwimMemberState.Alive), TimeSpan.FromSeconds(180)) is null)
            {
                Assert.Fail($"seed {seed} at {cluster.Elapsed}, pushpulls {string.Join(",", cluster.Nodes.Select(n => n.Stats.PushPulls + "/" + n.Stats.RequestsSent + "/" + n.Stats.RequestsReceived))}: " + string.Join("; ", cluster.Nodes.Select(n => n.SelfId + ": " + string.Join(",", n.Members.Select(m => m.NodeId + "=" + m.State)))));
            }

            TimeSpan leaveAt = cluster.Elapsed;
            Task? leaving = null;
            cluster.Scenario.Clock.Schedule(TimeSpan.Zero, () => leaving = cluster[3].LeaveAsync());

            cluster.RunFor(TimeSpan.FromSeconds(30)); // long after a suspicion of the leaver could have expired

            Assert.True(leaving is { IsCompletedSuccessfully: true }, $"seed {seed}: the leave did not complete");
            foreach (int observer in Enumerable.Range(0, 8).Where(o => o != 3))
            {
                Assert.Equal(SwimMemberState.Left, cluster[observer].GetMember(SwimSimCluster.NodeId(3))?.State);
            }

            var late = cluster.EventsAbout(3, SwimMemberState.Dead).Where(e => e.At >= leaveAt).ToList();
            Assert.True(late.Count == 0, $"seed {seed} left at {leaveAt}, acks {cluster[3].Stats.LeavesAcknowledged}: " + string.Join("; ", cluster.Events.Where(e => e.Member == 3 && e.At >= leaveAt - TimeSpan.FromSeconds(10)).Select(e => $"{e.At} n{e.Observer} {e.State}")));
        }
    }
}
