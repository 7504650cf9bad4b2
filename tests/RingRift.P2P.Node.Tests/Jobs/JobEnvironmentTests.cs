using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>Which of the node's environment variables a job must not inherit.</summary>
public sealed class JobEnvironmentTests
{
    [Theory]
    [InlineData("RINGRIFT_CLUSTER_AUTH_TOKEN", true)]
    [InlineData("RINGRIFT_CLUSTER_AUTH_TOKEN_FILE", true)]
    [InlineData("RINGRIFT_WEBHOOK_URL", true)]
    [InlineData("RINGRIFT_P2P_PORT", true)]
    [InlineData("RINGRIFT_P2P_JOBS_FILE", true)]
    [InlineData("RINGRIFT_JOB_ID", false)]
    [InlineData("RINGRIFT_DATA_DIR", false)]
    [InlineData("CUDA_VISIBLE_DEVICES", false)]
    [InlineData("PATH", false)]
    [InlineData("ringrift_cluster_auth_token", false)] // environment names are case-sensitive on Linux
    public void NodeOnlyVariables_StayWithTheNode(string name, bool nodeOnly) =>
        Assert.Equal(nodeOnly, JobProcessLauncher.IsNodeOnly(name));
}
