namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>With a cluster token, changes need it; reads do not; nodes still talk to each other.</summary>
public sealed class AuthTests
{
    private const string Token = "s3cret-token";

    [Fact]
    public async Task WithAToken_PostsNeedIt_GetsDoNot_AndTheClusterStillForms()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_CLUSTER_AUTH_TOKEN"] = Token });
        var leader = await cluster.WaitForLeaderAsync("node-2"); // node-to-node calls carry the token
        var follower = cluster.Nodes.Single(n => n != leader);

        var none = await Http.PostAsync(follower.Url, "work/add", """{"work_type":"selfplay"}""");
        Assert.Equal(401, none.Status);
        Assert.Equal("unauthorized", none.Error);
        var wrong = await Http.PostAsync(follower.Url, "work/add", """{"work_type":"selfplay"}""", token: Token + "x");
        Assert.Equal(401, wrong.Status);
        var claimWithout = await Http.GetAsync(follower.Url, "work/claim?node_id=a");
        Assert.Equal(401, claimWithout.Status);
        Assert.Equal(401, (await Http.GetAsync(follower.Url, "work/claim_batch?node_id=a")).Status);
        Assert.Equal(401, (await Http.PostAsync(follower.Url, "work/add_batch", """{"items":[{"work_type":"selfplay"}]}""")).Status);

        Assert.Equal(200, (await Http.GetAsync(follower.Url, "status")).Status);
        var ok = await Http.PostAsync(follower.Url, "work/add", """{"work_type":"selfplay"}""", token: Token);
        Assert.Equal(200, ok.Status);
    }
}
