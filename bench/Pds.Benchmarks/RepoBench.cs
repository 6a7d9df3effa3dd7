using Pds.Core.Car;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Repo;

namespace Pds.Benchmarks;

/// <summary>
/// The two headline operations, shared by <see cref="RepoCarBenchmarks"/> and the compare mode
/// so both measure exactly the same calls.
/// </summary>
public static class RepoBench
{
    /// <summary>
    /// build_and_write_car: encode and hash every record, build the MST, sign the commit
    /// (RepoBuilder.BuildAsync), then write the full repo CAR into memory (RepoExport.WriteCarAsync).
    /// </summary>
    public static async Task<MemoryStream> BuildAndWriteCarAsync((string Path, DataMap Record)[] records, ISigner signer)
    {
        var (head, blocks) = await RepoBuilder.BuildAsync(BenchData.Did, records, signer, BenchData.Rev).ConfigureAwait(false);
        var output = new MemoryStream();
        await RepoExport.WriteCarAsync(output, blocks, head).ConfigureAwait(false);
        return output;
    }

    /// <summary>
    /// read_and_verify_car: parse the CAR (hashing every block), decode the commit, check its
    /// DID and signature, walk and check the whole tree, decode every record.
    /// </summary>
    public static async Task<VerifiedRepo> ReadAndVerifyCarAsync(byte[] car, PublicKey key)
    {
        var file = CarReader.Read(car);
        return await RepoVerifier.VerifyAsync(file, key, BenchData.Did).ConfigureAwait(false);
    }
}
