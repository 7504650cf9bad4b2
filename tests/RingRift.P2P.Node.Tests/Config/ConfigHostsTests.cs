using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cli;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary><c>config hosts</c>: the inventory as lines a shell loop reads (deploy/install-hosts.sh), or JSON; a bad file lists every error and prints no host.</summary>
public sealed class ConfigHostsTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task TheExampleInventory_IsOneTabSeparatedLinePerHost_InFileOrder()
    {
        var (code, output, error) = await CapturedOutput.RunAsync(["config", "hosts", "--hosts", ConfigFiles.ExampleHosts]);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal([
            "hetzner-cpu1\troot@203.0.113.10\t100.64.0.10\t8770\t7947\t4321\t-\tyes\tyes\tyes\tready\tcoordinator",
            "hetzner-cpu2\troot@203.0.113.11\t203.0.113.11\t8770\t7947\t4321\t-\tyes\tyes\tyes\tready\tcoordinator",
            "lambda-gh200-1\tubuntu@198.51.100.21\t100.64.0.21\t8770\t7947\t4321\t-\tyes\tyes\tyes\tready\tgpu_training_primary",
            "vast-4090-7\troot@198.51.100.77\t198.51.100.77\t8770\t7947\t4321\t-\tyes\tno\tno\tready\tgpu_selfplay",
            "local-dev\t127.0.0.1\t127.0.0.1\t8781\t7957\t4331\t-\tno\tno\tno\toffline\t-",
        ], output.TrimEnd('\n').Split('\n'));
        Assert.All(output.TrimEnd('\n').Split('\n'), line => Assert.Equal(ConfigCommand.HostColumns.Length, line.Split('\t').Length));
    }

    [Fact]
    public void Fields_NeverHoldATabOrABlank_SoReadKeepsTheColumns()
    {
        var inventory = RingRift.P2P.Hosts.DistributedHosts.Parse("hosts:\n  a:\n    role: \"two\\twords\\nand more\"\n    arch: ARM64\n    ssh_host: \" \"\n", "h.yaml");

        var line = Assert.Single(ConfigCommand.HostLines(inventory));

        Assert.Equal("a\t-\t-\t8770\t7947\t4321\tarm64\tyes\tno\tno\tready\ttwo words and more", line);
    }

    [Fact]
    public async Task ABadInventory_ListsEveryErrorOnStderr_ExitsTwo_AndPrintsNoHost()
    {
        var hosts = _files.Write("hosts.yaml", "hosts:\n  a:\n    p2p_port: x\n  b:\n    arch: sparc\n");

        var (code, output, error) = await CapturedOutput.RunAsync(["config", "hosts", "--hosts", hosts]);

        Assert.Equal(CliApp.BadArguments, code);
        Assert.Equal("", output);
        Assert.Equal([
            $"error: {hosts} line 3: key 'hosts.a.p2p_port': expected an integer from 1 to 65535, got 'x'",
            $"error: {hosts} line 5: key 'hosts.b.arch': expected x64 or arm64 (or amd64, x86_64, aarch64), got 'sparc'",
        ], error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Json_HasTheSameFields_Typed()
    {
        var (code, output, _) = await CapturedOutput.RunAsync(["config", "hosts", "--json", "--hosts", ConfigFiles.ExampleHosts]);

        Assert.Equal(0, code);
        var hosts = JsonNode.Parse(output)!.AsArray();
        Assert.Equal(5, hosts.Count);
        var local = hosts[4]!;
        Assert.Equal(("local-dev", 8781, false), (local["id"]!.GetValue<string>(), local["p2p_port"]!.GetValue<int>(), local["active"]!.GetValue<bool>()));
        Assert.Null(local["role"]);
        Assert.Equal(ConfigCommand.HostColumns, local.AsObject().Select(p => p.Key));
    }
}
