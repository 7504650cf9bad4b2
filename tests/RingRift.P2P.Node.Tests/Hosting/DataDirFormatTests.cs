using System.Text.Json.Nodes;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cli;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>A data dir records its layout's format: older ones move forward, a newer build's is refused with what to do.</summary>
public sealed class DataDirFormatTests : IDisposable
{
    private readonly TempDir _dir = new("datadir");

    public void Dispose() => _dir.Dispose();

    private JsonNode Record(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, DataDirFormat.FileName)))!;

    [Fact]
    public void A_new_directory_is_created_at_the_current_format()
    {
        var dir = _dir.Full("new");
        Assert.Equal(DataDirFormat.Current, DataDirFormat.Prepare(dir, "1.2.3+abc"));
        Assert.Equal(DataDirFormat.Current, Record(dir)["format"]!.GetValue<int>());
        Assert.Equal("1.2.3+abc", Record(dir)["written_by"]!.GetValue<string>());
        Assert.Contains("\"written_by\":\"1.2.3+abc\"", File.ReadAllText(Path.Combine(dir, DataDirFormat.FileName))); // readable: no \u002B
    }

    [Fact]
    public void A_directory_from_before_formats_were_recorded_is_format_0_and_moves_forward_keeping_its_files()
    {
        var dir = _dir.Full("old");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "peers.json"), "[]");

        Assert.Equal(0, DataDirFormat.Prepare(dir, "2.0.0"));
        Assert.Equal(DataDirFormat.Current, Record(dir)["format"]!.GetValue<int>());
        Assert.Equal("[]", File.ReadAllText(Path.Combine(dir, "peers.json")));
        Assert.Equal(DataDirFormat.Current, DataDirFormat.Prepare(dir, "2.0.0")); // the second start finds it current
    }

    [Fact]
    public void A_directory_a_newer_build_wrote_is_refused_naming_both_versions_and_the_way_out()
    {
        var dir = _dir.Full("newer");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, DataDirFormat.FileName), $$"""{"format": {{DataDirFormat.Current + 1}}, "written_by": "9.0.0+f00"}""");

        var error = Assert.Throws<DataDirFormatException>(() => DataDirFormat.Prepare(dir, "1.0.0"));
        Assert.Contains("9.0.0+f00", error.Message);
        Assert.Contains($"data format {DataDirFormat.Current + 1}", error.Message);
        Assert.Contains("this build (1.0.0)", error.Message);
        Assert.Contains("empty --data-dir", error.Message);
        Assert.Equal(DataDirFormat.Current + 1, Record(dir)["format"]!.GetValue<int>()); // left as it was
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"format": "one"}""")]
    [InlineData("""{"format": -1}""")]
    [InlineData("[]")]
    public void An_unreadable_format_record_is_refused_naming_the_file_and_the_fix(string content)
    {
        var dir = _dir.Full("garbage");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, DataDirFormat.FileName), content);

        var error = Assert.Throws<DataDirFormatException>(() => DataDirFormat.Prepare(dir, "1.0.0"));
        Assert.Contains(Path.Combine(dir, DataDirFormat.FileName), error.Message);
        Assert.Contains("delete the file", error.Message);
    }

    [Fact]
    public async Task Run_on_a_newer_data_dir_exits_2_with_one_line_and_binds_nothing()
    {
        var dir = _dir.Full("run-newer");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, DataDirFormat.FileName), $$"""{"format": {{DataDirFormat.Current + 1}}, "written_by": "9.0.0"}""");
        var port = TestPorts.Free(1)[0];

        var (code, _, err) = await CapturedOutput.RunAsync(["run", "--node-id", "n1", "--host", "127.0.0.1", "--port", port.ToString(), "--data-dir", dir]);

        Assert.Equal(2, code);
        Assert.StartsWith("ringrift-p2p: data dir", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        probe.Start(); // the port was never taken
    }
}
