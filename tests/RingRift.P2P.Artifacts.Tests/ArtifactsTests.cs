using System.IO.Compression;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>What scripts/release.sh writes: executables for the right machines, the tool package, checksums that match.</summary>
[Collection(ReleaseCollection.Name)]
public sealed class ArtifactsTests(ReleaseBuild release, ITestOutputHelper output)
{
    private const ushort MachineX64 = 62; // ELF e_machine EM_X86_64
    private const ushort MachineArm64 = 183; // EM_AARCH64

    [Fact]
    public void Release_WritesTheX64Executable_TheToolPackage_AndChecksumsThatMatch()
    {
        output.WriteLine(release.BuildTime > TimeSpan.Zero ? $"release.sh took {release.BuildTime.TotalSeconds:0} s" : $"testing the release in {release.Folder}");
        Assert.Equal(MachineX64, ElfMachine(release.X64));
        Assert.True((File.GetUnixFileMode(release.X64) & UnixFileMode.UserExecute) != 0, "the x64 executable is not executable");

        var sums = File.ReadAllLines(Path.Combine(release.Folder, "SHA256SUMS"))
            .Select(line => line.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
        List<string> expected = [Path.GetFileName(release.X64), Path.GetFileName(release.Package)];
        if (File.Exists(release.Arm64)) expected.Add(Path.GetFileName(release.Arm64));
        Assert.Equal(expected.Order(), sums.Keys.Order());
        foreach (var (file, sum) in sums)
        {
            var path = Path.Combine(release.Folder, file);
            output.WriteLine($"{file}: {new FileInfo(path).Length:N0} bytes");
            Assert.Equal(sum, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        }

        // A dotnet tool package whose command is ringrift-p2p, with the program and its demo jobs inside.
        using var package = ZipFile.OpenRead(release.Package);
        var settings = package.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using (var reader = new StreamReader(settings.Open())) Assert.Contains("<Command Name=\"ringrift-p2p\"", reader.ReadToEnd());
        Assert.Contains(package.Entries, e => e.FullName == "tools/net10.0/any/ringrift-p2p.dll");
        Assert.Equal($"ringrift-p2p.{ReleaseBuild.ExpectedVersion.Split('+')[0]}.nupkg", Path.GetFileName(release.Package));
    }

    [Fact]
    [Trait("Category", Emulation.Category)]
    public void Release_WritesTheArm64Executable()
    {
        Assert.True(File.Exists(release.Arm64), $"no {release.Arm64}: {Emulation.Missing ?? "the release build left it out"}");
        Assert.Equal(MachineArm64, ElfMachine(release.Arm64));
        output.WriteLine($"{Path.GetFileName(release.Arm64)}: {new FileInfo(release.Arm64).Length:N0} bytes");
    }

    /// <summary>The e_machine field of an ELF file's header.</summary>
    private static ushort ElfMachine(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[20];
        file.ReadExactly(header);
        Assert.True(header[0] == 0x7f && header[1] == 'E' && header[2] == 'L' && header[3] == 'F', $"{path} is not an ELF executable");
        return BitConverter.ToUInt16(header, 18);
    }
}
