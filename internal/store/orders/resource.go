package orders

// SelectOrderChannel reads the code of an order's channel.
const SelectOrderChannel = `SELECT c.code FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.seq = $1`
