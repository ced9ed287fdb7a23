#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/manifest/model.h"

// The mapping table (mapping.cpp): each function maps the fields both sides have and ignores the rest
// (and the native extensions); convert.cpp makes the conversions lossless around them.
namespace meshctl::interop {

// "DOMAIN.NAME.PORT": the id of the contract of output port `port`.
std::string contract_id(const manifest::DataProduct& product, std::size_t port);
// The ODCS contract of output port `port` (past the last port: a contract without schema).
nlohmann::json odcs_of(const manifest::DataProduct& product, std::size_t port);
// A contract as a product with one output port.
manifest::DataProduct native_of_odcs(const nlohmann::json& contract);
// The ODPS product (its output ports name contract_id()).
nlohmann::json odps_of(const manifest::DataProduct& product);
// An ODPS product whose output port i has the contract contracts[i] (nullptr: none).
manifest::DataProduct native_of_odps(const nlohmann::json& odps, const std::vector<const nlohmann::json*>& contracts);

}  // namespace meshctl::interop
