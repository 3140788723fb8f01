// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice The Groth16 verifier of zkp's batch circuit, as zkp's
/// VerifyingKey.ExportSolidity writes it: reverts unless proof is valid for
/// input = (lo, hi, count, root).
interface IBatchVerifier {
    function verifyProof(bytes calldata proof, uint256[4] calldata input) external view;
}

interface IERC20Transfer {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title RangeEscrow: pay on a zero-knowledge proof that readings stayed in range
/// @notice A payer locks an amount (native coin or an ERC-20) for a payee.
/// Before the deadline, the deal's attester records the Poseidon2 Merkle root
/// and the number of the value commitments the deal is about (the private
/// readings of a shipment, which the attester checked and anchored off chain).
/// release() pays the payee when a batch proof shows that every committed
/// value lies in [lo, hi]; anyone may submit it, since the proof is all that
/// counts. Without a release by the deadline, expire() pays the fallback
/// party instead. No value is ever revealed.
contract RangeEscrow {
    enum State {
        None,
        Open,
        Attested,
        Released,
        Expired
    }

    struct Deal {
        address payer;
        uint64 lo;
        address payee;
        uint64 hi;
        address fallbackTo;
        uint64 deadline;
        address attester;
        uint64 count;
        State state;
        address token;
        uint256 amount;
        uint256 root;
    }

    /// @notice The scalar field order of BN254: commitments and roots are below it.
    uint256 private constant R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001;

    /// @notice The batch verifier every deal of this contract is checked with.
    IBatchVerifier public immutable verifier;

    mapping(bytes32 => Deal) public deals;
    /// @notice Native coin that could not be pushed to its recipient, for withdraw().
    mapping(address => uint256) public credit;

    event Opened(
        bytes32 indexed id,
        address indexed payer,
        address indexed payee,
        address fallbackTo,
        address attester,
        address token,
        uint256 amount,
        uint64 lo,
        uint64 hi,
        uint64 deadline
    );
    event Attested(bytes32 indexed id, uint256 root, uint64 count);
    event Released(bytes32 indexed id, address payee, uint256 amount);
    event Expired(bytes32 indexed id, address fallbackTo, uint256 amount);

    error NoVerifier();
    error UnknownDeal(bytes32 id);
    error DealExists(bytes32 id);
    error BadTerms();
    error BadDeposit(uint256 value, uint256 amount);
    error NotAttester(address caller);
    error WrongState(bytes32 id, State state);
    error BadAttestation(uint256 root, uint64 count);
    error DeadlinePassed(uint64 deadline);
    error DeadlineNotReached(uint64 deadline);
    error BadProof();
    error TransferFailed();

    constructor(IBatchVerifier verifier_) {
        if (address(verifier_).code.length == 0) revert NoVerifier();
        verifier = verifier_;
    }

    /// @notice Opens a deal funded by msg.sender. For the native coin, token is
    /// address(0) and msg.value must equal amount; for an ERC-20, the contract
    /// must be approved for amount.
    function open(
        bytes32 salt,
        address payee,
        address fallbackTo,
        address attester,
        address token,
        uint256 amount,
        uint64 lo,
        uint64 hi,
        uint64 deadline
    ) external payable returns (bytes32 id) {
        if (
            payee == address(0) || fallbackTo == address(0) || attester == address(0) || amount == 0 || lo > hi
                || deadline <= block.timestamp
        ) revert BadTerms();
        id = dealId(msg.sender, salt);
        if (deals[id].state != State.None) revert DealExists(id);
        deals[id] = Deal({
            payer: msg.sender,
            lo: lo,
            payee: payee,
            hi: hi,
            fallbackTo: fallbackTo,
            deadline: deadline,
            attester: attester,
            count: 0,
            state: State.Open,
            token: token,
            amount: amount,
            root: 0
        });
        _pull(token, amount);
        emit Opened(id, msg.sender, payee, fallbackTo, attester, token, amount, lo, hi, deadline);
    }

    /// @notice Records the Poseidon2 Merkle root of the deal's count value
    /// commitments (zkp.MerkleRoot, padded to the verifier's capacity). Only the
    /// deal's attester, once, before the deadline.
    function attest(bytes32 id, uint256 root, uint64 count) external {
        Deal storage d = _deal(id);
        if (msg.sender != d.attester) revert NotAttester(msg.sender);
        if (d.state != State.Open) revert WrongState(id, d.state);
        if (block.timestamp >= d.deadline) revert DeadlinePassed(d.deadline);
        if (root >= R || count == 0) revert BadAttestation(root, count);
        d.root = root;
        d.count = count;
        d.state = State.Attested;
        emit Attested(id, root, count);
    }

    /// @notice Pays the payee if proof shows that every one of the attested
    /// commitments holds a value in [lo, hi]. Anyone may call, before the deadline.
    function release(bytes32 id, bytes calldata proof) external {
        Deal storage d = _deal(id);
        if (d.state != State.Attested) revert WrongState(id, d.state);
        if (block.timestamp >= d.deadline) revert DeadlinePassed(d.deadline);
        uint256[4] memory input = [uint256(d.lo), uint256(d.hi), uint256(d.count), d.root];
        try verifier.verifyProof(proof, input) {}
        catch {
            revert BadProof();
        }
        d.state = State.Released;
        address payee = d.payee;
        uint256 amount = d.amount;
        _push(d.token, payee, amount);
        emit Released(id, payee, amount);
    }

    /// @notice Pays the fallback party once the deadline has passed without a
    /// release. Anyone may call.
    function expire(bytes32 id) external {
        Deal storage d = _deal(id);
        if (d.state != State.Open && d.state != State.Attested) revert WrongState(id, d.state);
        if (block.timestamp < d.deadline) revert DeadlineNotReached(d.deadline);
        d.state = State.Expired;
        address to = d.fallbackTo;
        uint256 amount = d.amount;
        _push(d.token, to, amount);
        emit Expired(id, to, amount);
    }

    /// @notice Withdraws native coin credited when a push failed.
    function withdraw() external {
        uint256 amount = credit[msg.sender];
        credit[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice The id of the deal payer opens with salt: the keccak256 of the
    /// ABI encoding of (chainid, this contract, payer, salt).
    function dealId(address payer, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), payer, salt));
    }

    function _deal(bytes32 id) private view returns (Deal storage d) {
        d = deals[id];
        if (d.state == State.None) revert UnknownDeal(id);
    }

    function _pull(address token, uint256 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert BadDeposit(msg.value, amount);
        } else {
            if (msg.value != 0) revert BadDeposit(msg.value, amount);
            if (!IERC20Transfer(token).transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        }
    }

    function _push(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) credit[to] += amount;
        } else {
            if (!IERC20Transfer(token).transfer(to, amount)) revert TransferFailed();
        }
    }
}
