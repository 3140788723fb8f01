// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Stake: bonds that an arbiter slashes for provably bad data
/// @notice Device owners (stakers) bond native coin to take part in a data
/// programme. The arbiter fixed at deployment may slash a bond, naming the
/// digest of the published evidence that the staker's device signed bad data;
/// each piece of evidence slashes once. Slashed coin is burned (kept by this
/// contract forever), so the arbiter gains nothing by slashing. A staker leaves
/// by unbonding and, once the unbonding delay has passed, withdrawing; the bond
/// can be slashed until it is withdrawn, so leaving does not outrun a slash.
contract Stake {
    struct Bond {
        uint256 amount;
        uint64 unlocksAt; // 0 while bonded; set by unbond()
    }

    /// @notice The only account that may slash.
    address public immutable arbiter;
    /// @notice Seconds between unbond() and the earliest withdraw().
    uint64 public immutable unbondingDelay;
    /// @notice Coin slashed so far, locked in this contract for good.
    uint256 public burned;
    mapping(address => Bond) public bonds;
    /// @notice slashedFor[evidence] is true once that evidence slashed a bond.
    mapping(bytes32 => bool) public slashedFor;

    event Bonded(address indexed staker, uint256 amount, uint256 bond);
    event UnbondingStarted(address indexed staker, uint64 unlocksAt);
    event Withdrawn(address indexed staker, uint256 amount);
    event Slashed(address indexed staker, uint256 amount, bytes32 indexed evidence);

    error BadParameters();
    error ZeroAmount();
    error NothingBonded(address staker);
    error Unbonding(uint64 unlocksAt);
    error NotUnbonding();
    error Locked(uint64 unlocksAt);
    error NotArbiter(address caller);
    error InsufficientBond(uint256 bond, uint256 amount);
    error AlreadySlashed(bytes32 evidence);
    error TransferFailed();

    constructor(address arbiter_, uint64 unbondingDelay_) {
        if (arbiter_ == address(0) || unbondingDelay_ == 0) revert BadParameters();
        arbiter = arbiter_;
        unbondingDelay = unbondingDelay_;
    }

    /// @notice Adds msg.value to the sender's bond. Not while unbonding.
    function bond() external payable {
        if (msg.value == 0) revert ZeroAmount();
        Bond storage b = bonds[msg.sender];
        if (b.unlocksAt != 0) revert Unbonding(b.unlocksAt);
        b.amount += msg.value;
        emit Bonded(msg.sender, msg.value, b.amount);
    }

    /// @notice Starts the unbonding delay of the sender's whole bond.
    function unbond() external {
        Bond storage b = bonds[msg.sender];
        if (b.amount == 0) revert NothingBonded(msg.sender);
        if (b.unlocksAt != 0) revert Unbonding(b.unlocksAt);
        b.unlocksAt = uint64(block.timestamp) + unbondingDelay;
        emit UnbondingStarted(msg.sender, b.unlocksAt);
    }

    /// @notice Pays the sender what is left of its bond after the delay.
    function withdraw() external {
        Bond storage b = bonds[msg.sender];
        if (b.unlocksAt == 0) revert NotUnbonding();
        if (block.timestamp < b.unlocksAt) revert Locked(b.unlocksAt);
        uint256 amount = b.amount;
        delete bonds[msg.sender];
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice Burns amount of staker's bond for the evidence whose digest
    /// is evidence. Only the arbiter; each evidence once.
    function slash(address staker, uint256 amount, bytes32 evidence) external {
        if (msg.sender != arbiter) revert NotArbiter(msg.sender);
        if (amount == 0) revert ZeroAmount();
        if (slashedFor[evidence]) revert AlreadySlashed(evidence);
        Bond storage b = bonds[staker];
        if (amount > b.amount) revert InsufficientBond(b.amount, amount);
        slashedFor[evidence] = true;
        b.amount -= amount;
        burned += amount;
        emit Slashed(staker, amount, evidence);
    }
}
