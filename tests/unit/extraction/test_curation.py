from analysis.extraction.curation import apply_curation


def write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


def test_fix_drop_add_and_unmatched(tmp_path, figure_row):
    other = {**figure_row, "metric": "branches", "value": 111, "start": 40, "end": 51}
    write(tmp_path, "corrections.csv",
          "source_id,start,metric,action,field,value,reason\n"
          "a,10,members,fix,bound,exact,the article rounds\n"
          "a,40,branches,drop,,,false figure\n"
          "a,99,members,fix,value,1,stale key\n")
    header = ",".join(figure_row) + ",reason\n"
    write(tmp_path, "additions.csv", header + "a,Quế Võ,district,Bắc Ninh,,2023-08-04,donors,actual,5,,count,"
                                              "exact,,5 doanh nghiệp,60,75,missed\n")
    rows, log = apply_curation([figure_row, other], tmp_path)
    assert [(r["metric"], r["bound"]) for r in rows] == [("members", "exact"), ("donors", "exact")]
    assert [e.status for e in log] == ["applied", "applied", "unmatched", "applied"]


def test_invalid_field_is_reported(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", "source_id,start,metric,action,field,value,reason\n"
                                       "a,10,members,fix,colour,red,?\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert rows[0]["value"] == 72000 and log[0].status == "invalid"
