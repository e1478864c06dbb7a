-- Where each default comes from, as `sanigrid config DB list` shows it:
-- the standard by name and clause, or the local rule by place and year,
-- instead of codes of a reference file that is not part of sanigrid
-- ("DOMAIN C1"). Values and defaults are not touched; 0001 stays as it
-- was released.
UPDATE settings SET source = 'GB 55013-2021《市容环卫工程项目规范》§3.2.2 (concentrated settlements and new-village settlements: 120 m)',
  description = 'Service radius of a collection point in concentrated settlements; 70 is the strict preset (CJJ 27-2012《环境卫生设施设置标准》)'
  WHERE key = 'collection_point.radius_m.clustered';
UPDATE settings SET source = 'Local rural guideline after 川建标发〔2017〕79号 (scattered settlements up to 200 m); Luoyuan county, Fujian (200 m)'
  WHERE key = 'collection_point.radius_m.scattered';
UPDATE settings SET source = 'Judgement: the radii are walking distances, and in hilly villages a straight line overstates coverage'
  WHERE key = 'collection_point.distance_metric';
UPDATE settings SET source = 'Rural renovation guidance (at least one point per village); GB/T 51435-2021《农村生活垃圾收运和处理技术标准》§4.4.1 commentary (per natural village)'
  WHERE key = 'collection_point.min_per_village';
UPDATE settings SET source = 'Urban waste-sorting pilots (one point per 300-500 households); Luoyuan county, Fujian (one per about 300 households)'
  WHERE key = 'collection_point.max_households';
UPDATE settings SET source = '韩智勇 et al., 农业工程学报 2017(15): Chinese rural household waste, median 0.521 kg/(person·day)'
  WHERE key = 'waste.kg_per_person_day';
UPDATE settings SET source = '韩智勇 et al., 农业工程学报 2017(15): bulk density, mean 263 kg/m³'
  WHERE key = 'waste.bulk_density_kg_m3';
UPDATE settings SET source = 'GB/T 51435-2021《农村生活垃圾收运和处理技术标准》§4.4.2'
  WHERE key IN ('collection_vehicle.radius_km.non_motorised',
                'collection_vehicle.radius_km.small_motor');
UPDATE settings SET source = 'CJJ/T 47《生活垃圾转运站技术规范》as quoted (small motor vehicles: 3 km preferred, 5 km at most)'
  WHERE key IN ('transfer_station.radius_km.preferred',
                'transfer_station.radius_km.max');
UPDATE settings SET source = 'GB 55013-2021《市容环卫工程项目规范》§5.0.1'
  WHERE key = 'public_toilet.radius_m.town';
UPDATE settings SET source = 'GB 55013-2021《市容环卫工程项目规范》§5.0.2 (a toilet at the village committee); Gansu 2019 target (one per administrative village)'
  WHERE key = 'public_toilet.min_per_admin_village';
UPDATE settings SET source = 'A township rule: a public toilet in every natural village of 300 households or more'
  WHERE key = 'public_toilet.natural_village_households';
UPDATE settings SET source = 'Hefei Shushan district 2011 (30 per 10 000 people); Longyan, Fujian 2017 (1 per 500); city score sheets (500:1)'
  WHERE key = 'cleaner.per_residents';
UPDATE settings SET source = 'Hefei Shushan district 2011 (1 per 300 households in village groups)'
  WHERE key = 'cleaner.per_households';
UPDATE settings SET source = 'Hefei Shushan district 2011 (1 per km of national, provincial and county road)'
  WHERE key = 'cleaner.per_road_km.major';
UPDATE settings SET source = 'Hefei Shushan district 2011 (1-2 per 2 km of rural road)'
  WHERE key = 'cleaner.per_road_km.village';
UPDATE settings SET source = 'Judgement: roads inside a settlement are swept as part of the population-based work, so they are not counted twice'
  WHERE key = 'cleaner.settlement_buffer_m';
UPDATE settings SET source = 'Hefei Shushan district 2011 (1-2 per administrative village); practice: every village at least one'
  WHERE key = 'cleaner.min_per_village';
UPDATE settings SET source = 'Common rule 按常住人口: the registered population overstates the need of villages people have left'
  WHERE key = 'cleaner.population_basis';
UPDATE settings SET source = 'Rural grid examples (100-150 farm households per grid; 160-255 households per grid leader); judgement'
  WHERE key = 'grid.target_households.min';
UPDATE settings SET source = 'Haikou city standard (300-500 households per grid); rural judgement'
  WHERE key = 'grid.target_households.max';
UPDATE settings SET source = 'Judgement: a grid of a few households is not worth a grid leader'
  WHERE key = 'grid.merge_below_households';
UPDATE settings SET source = 'Haikou city standard (300-500 households per grid)'
  WHERE key = 'grid.urban_target_households.max';
UPDATE settings SET source = 'Beijing DB11 unit grids (6+3+3+3 digits); Xi''an DB6101/T 3185-2024; 统计用区划代码编制规则 (国统字〔2009〕91号)'
  WHERE key = 'grid.id_format';
UPDATE settings SET source = 'CGCS2000 (EPSG:4490), centimetres from WGS 84'
  WHERE key = 'crs.storage';
UPDATE settings SET source = 'Iterative GCJ-02 inverse: below 1 m after 3 iterations (googollee/eviltransform, Artoria2e5/PRCoords)'
  WHERE key = 'crs.gcj_inverse_iterations';
UPDATE settings SET source = 'GDAL Shapefile driver (.cpg, then the DBF language id); Chinese Windows tools write GBK without either'
  WHERE key = 'io.shapefile_encoding';
UPDATE settings SET source = 'Rural living-environment score sheets (100 points)'
  WHERE key = 'scoring.scale';
UPDATE settings SET source = 'Village score sheets (1 point per finding; Ningxiang Longtian 2013: 0.5)'
  WHERE key = 'scoring.deduction_per_finding';
UPDATE settings SET source = 'Yunnan provincial red/black list guidance 2020 (top 10 natural villages per township)'
  WHERE key = 'scoring.red_list_size';
UPDATE settings SET source = 'Yunnan provincial red/black list guidance 2020 (bottom 5 natural villages per township)'
  WHERE key = 'scoring.black_list_size';
UPDATE settings SET source = 'Changning county, Wenquan town (monthly and quarterly); Fogang county, Tangtang town (quarterly)'
  WHERE key = 'scoring.cadence';
UPDATE settings SET source = 'Fogang county, Tangtang town: a random 20 % of natural villages each month'
  WHERE key = 'inspection.sample_share';
UPDATE settings SET source = 'City score sheet: waste 18 of 100 points; radius GB 55013-2021 §3.2.2'
  WHERE key = 'rank.weight.coverage';
UPDATE settings SET source = 'City score sheet: team 8 of 100 points, cleaners 500:1'
  WHERE key = 'rank.weight.staffing';
UPDATE settings SET source = '全覆盖、无盲区 and 网中有格、格中有人 (township grid plans); judgement'
  WHERE key = 'rank.weight.grid';
UPDATE settings SET source = 'Toilet revolution (Changning county, Wenquan town); village score sheet: household toilets 10 of 100 points'
  WHERE key = 'rank.weight.toilets';
UPDATE settings SET source = 'Township red/black lists rank on inspection scores (Yunnan 2020; Changning county; Fogang county)'
  WHERE key = 'rank.weight.inspection';
UPDATE settings SET source = 'Judgement: off unless a local rule rewards improvement'
  WHERE key = 'rank.weight.trend';
