using System.Text;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>One key of the tree with its value.</summary>
public readonly record struct MstLeaf(byte[] KeyBytes, Cid Value)
{
    public string Key => Encoding.UTF8.GetString(KeyBytes);
}
