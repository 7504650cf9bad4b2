using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>The test network itself: delivery only when time advances, faults drop.</summary>
public sealed class LoopbackNetTests
{
    [Fact]
    public async Task A_request_is_answered_after_the_latency_and_not_before()
    {
        var net = new LoopbackNet(new FakeTimeProvider());
        var a = new SwimEndpoint("10.0.0.1", 1);
        var b = new SwimEndpoint("10.0.0.2", 1);
        net.Add(a);
        net.Add(b).Attach((_, _) => { }, (_, req) => [.. req, 7]);
        bool continued = false;
        Task<byte[]?> task = Continue();

        net.Advance(net.Latency - TimeSpan.FromTicks(1));
        Assert.False(task.IsCompleted);
        net.Advance(TimeSpan.FromTicks(1));
        Assert.True(continued);
        Assert.Equal(new byte[] { 1, 7 }, await task);

        async Task<byte[]?> Continue()
        {
            byte[]? r = await net.SendRequest(a, b, [1], TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            continued = true;
            return r;
        }
    }
}
